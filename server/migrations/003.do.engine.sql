-- The HCP360 engine: derived state built from events by the tagger. Everything here can be
-- rebuilt from `events` + profiles by `npm run recompute`.

-- The tagger's progress. One row per partition of doctors (hcp_id mod partitions); an instance
-- holds a partition's lease while it works it, so each doctor has exactly one writer.
CREATE TABLE tagger_cursors (
  partition_no INT NOT NULL,
  last_event_id BIGINT UNSIGNED NOT NULL DEFAULT 0,
  lease_owner VARCHAR(64) NULL,
  lease_until DATETIME(3) NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (partition_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Topic affinity, decayed lazily: score(t) = raw_score * 2^(-(t - as_of) / half_life).
CREATE TABLE hcp_topic_affinity (
  hcp_id BIGINT UNSIGNED NOT NULL,
  topic VARCHAR(32) NOT NULL,
  raw_score DOUBLE NOT NULL,
  as_of DATETIME(3) NOT NULL,
  PRIMARY KEY (hcp_id, topic)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Behavioural counters and facts per doctor. Counters are columns (not JSON) so rules can
-- compare them in portable SQL; `detail` (JSON text) holds what rules never query directly:
-- the hour-of-day histogram, daily meaningful-action buckets, live attendance minute buckets.
CREATE TABLE hcp_activity (
  hcp_id BIGINT UNSIGNED NOT NULL,
  content_views INT NOT NULL DEFAULT 0,
  content_reads INT NOT NULL DEFAULT 0,
  deep_reads INT NOT NULL DEFAULT 0,
  article_reads INT NOT NULL DEFAULT 0,
  video_reads INT NOT NULL DEFAULT 0,
  likes INT NOT NULL DEFAULT 0,
  favorites INT NOT NULL DEFAULT 0,
  shares INT NOT NULL DEFAULT 0,
  searches INT NOT NULL DEFAULT 0,
  lives_registered INT NOT NULL DEFAULT 0,
  lives_attended INT NOT NULL DEFAULT 0,
  live_minutes INT NOT NULL DEFAULT 0,
  replays INT NOT NULL DEFAULT 0,
  cases_submitted INT NOT NULL DEFAULT 0,
  cases_accepted INT NOT NULL DEFAULT 0,
  referred INT NOT NULL DEFAULT 0,
  meaningful_30d INT NOT NULL DEFAULT 0,
  arrival_channel VARCHAR(16) NULL,
  arrival_at DATETIME(3) NULL,
  first_event_at DATETIME(3) NULL,
  last_event_at DATETIME(3) NULL,
  last_active_at DATETIME(3) NULL,
  detail TEXT NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (hcp_id),
  KEY idx_activity_last_active (last_active_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Who brought whom: the first invite a doctor opened (first touch wins, by event time).
CREATE TABLE referrals (
  referred_hcp_id BIGINT UNSIGNED NOT NULL,
  inviter_kind VARCHAR(8) NOT NULL,
  inviter_id BIGINT UNSIGNED NOT NULL,
  share_id VARCHAR(64) NULL,
  scene INT NULL,
  at DATETIME(3) NOT NULL,
  PRIMARY KEY (referred_hcp_id),
  KEY idx_referrals_inviter (inviter_kind, inviter_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Doctors whose derived state must be re-evaluated by their partition's tagger (a referral they
-- made was recorded by another doctor's partition; a profile or verification changed).
CREATE TABLE engine_dirty (
  hcp_id BIGINT UNSIGNED NOT NULL,
  reason VARCHAR(32) NOT NULL,
  at DATETIME(3) NOT NULL,
  PRIMARY KEY (hcp_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Engine settings editable by staff (thresholds of KOL/KOC, lifecycle, half-life): key → JSON text.
CREATE TABLE engine_settings (
  setting_key VARCHAR(64) NOT NULL,
  value TEXT NOT NULL,
  updated_by BIGINT UNSIGNED NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (setting_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Static attributes that come from imports and staff, not from the doctor.
ALTER TABLE hcps ADD COLUMN specialty VARCHAR(64) NULL, ADD COLUMN academic_roles TEXT NULL;

-- Current tag values (static, behavioural, rule, KOL/KOC and predictive tags).
CREATE TABLE hcp_tags (
  hcp_id BIGINT UNSIGNED NOT NULL,
  tag_key VARCHAR(64) NOT NULL,
  value VARCHAR(64) NOT NULL,
  score DOUBLE NULL,
  since DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (hcp_id, tag_key),
  KEY idx_tags_key_value (tag_key, value)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every change of a tag's value (NULL old_value: set for the first time; NULL new_value: removed).
CREATE TABLE hcp_tag_history (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  hcp_id BIGINT UNSIGNED NOT NULL,
  tag_key VARCHAR(64) NOT NULL,
  old_value VARCHAR(64) NULL,
  new_value VARCHAR(64) NULL,
  at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_tag_history_hcp (hcp_id, tag_key, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Rule tags and segments: a JSON rule (shared/src/rules.ts) over attributes, tags, affinities and counters.
CREATE TABLE rule_definitions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  kind VARCHAR(8) NOT NULL,
  tag_key VARCHAR(64) NULL,
  name VARCHAR(80) NOT NULL,
  description VARCHAR(500) NULL,
  rule TEXT NOT NULL,
  created_by BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  deleted_at DATETIME(3) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_rule_tag_key (tag_key),
  KEY idx_rules_kind (kind, deleted_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE segment_members (
  segment_id BIGINT UNSIGNED NOT NULL,
  hcp_id BIGINT UNSIGNED NOT NULL,
  since DATETIME(3) NOT NULL,
  PRIMARY KEY (segment_id, hcp_id),
  KEY idx_segment_members_hcp (hcp_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
