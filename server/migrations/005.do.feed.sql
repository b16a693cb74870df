-- The personalised feed: ranking snapshots for stable paging, impressions for click-through
-- analytics, and the popularity aggregate that exploration slots and cold start read.

-- One ranking of one doctor's feed, kept for paging: page 2 reads the order page 1 was cut from,
-- so new events between pages neither repeat nor skip items. `entries` (JSON text) is the ranked
-- list `[[contentId, reasonKind, reason], …]`. Rows expire (TTL) and are swept.
CREATE TABLE feed_snapshots (
  token CHAR(22) NOT NULL,
  hcp_id BIGINT UNSIGNED NOT NULL,
  topic VARCHAR(32) NULL,
  entries MEDIUMTEXT NOT NULL,
  created_at DATETIME(3) NOT NULL,
  expires_at DATETIME(3) NOT NULL,
  PRIMARY KEY (token),
  KEY idx_feed_snapshots_expiry (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What was shown to whom, where and when (written in batches by an in-memory buffer).
CREATE TABLE feed_impressions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  hcp_id BIGINT UNSIGNED NOT NULL,
  content_id BIGINT UNSIGNED NOT NULL,
  position INT NOT NULL,
  reason_kind VARCHAR(16) NOT NULL,
  snapshot_token CHAR(22) NULL,
  shown_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_feed_impressions_hcp (hcp_id, shown_at),
  KEY idx_feed_impressions_content (content_id, shown_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Popularity of each item among the doctors of a cluster over the last 30 days, rebuilt from
-- events by the refresh job. Cluster keys: `dt:<department>|<junior|senior>`, `d:<department>`,
-- `all`. `score` sums each active doctor's weighted actions on the item, capped per doctor.
CREATE TABLE feed_popularity (
  cluster_key VARCHAR(64) NOT NULL,
  content_id BIGINT UNSIGNED NOT NULL,
  score DOUBLE NOT NULL,
  doctors INT NOT NULL,
  PRIMARY KEY (cluster_key, content_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- How much signal each cluster has (doctors with at least one counted action in the window),
-- which decides how far exploration widens the cluster (放大聚类).
CREATE TABLE feed_clusters (
  cluster_key VARCHAR(64) NOT NULL,
  active_doctors INT NOT NULL,
  items INT NOT NULL,
  PRIMARY KEY (cluster_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- When each feed job last ran (popularity refresh, snapshot sweep).
CREATE TABLE feed_jobs (
  job_key VARCHAR(32) NOT NULL,
  ran_at DATETIME(3) NOT NULL,
  PRIMARY KEY (job_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The popularity refresh reads one 30-day window of content events across all doctors
-- (events/eventFacts.ts); without this it would scan the whole table.
ALTER TABLE events ADD INDEX idx_events_type_ts (type, client_ts);
