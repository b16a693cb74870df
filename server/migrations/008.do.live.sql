-- Live streams (DESIGN §6 "Live stream"): applied by a rep or marketer, approved by the department
-- (manager) and pre-approved by compliance; then scheduled with a stream key, a play URL and a
-- poster. `live` and `ended` are read from the clock (start_at, end_at, ended_at), so nothing has to
-- run for a live stream to start or end. Registrations carry the reminder's state: the one-time
-- WeChat subscription a doctor accepted is consumed by exactly one message (reminder or cancellation).

-- status (stored): applied | dept_approved | scheduled | rejected | cancelled.
-- A scheduled live reads as live between start_at and its end (ended_at if staff ended it, else
-- end_at), and as ended after.
CREATE TABLE lives (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  status VARCHAR(16) NOT NULL,
  title VARCHAR(100) NOT NULL,
  description TEXT NULL,
  start_at DATETIME(3) NOT NULL,
  end_at DATETIME(3) NOT NULL,
  ended_at DATETIME(3) NULL,
  rx_only TINYINT(1) NOT NULL,
  audience_all TINYINT(1) NOT NULL,
  expected_attendance INT NULL,
  applicant_id BIGINT UNSIGNED NOT NULL,
  applicant_role VARCHAR(16) NOT NULL,
  dept_reviewer_id BIGINT UNSIGNED NULL,
  dept_reviewed_at DATETIME(3) NULL,
  dept_comment VARCHAR(500) NULL,
  compliance_reviewer_id BIGINT UNSIGNED NULL,
  compliance_reviewed_at DATETIME(3) NULL,
  compliance_comment VARCHAR(500) NULL,
  rejected_step VARCHAR(16) NULL,
  cancelled_by BIGINT UNSIGNED NULL,
  cancelled_at DATETIME(3) NULL,
  cancel_comment VARCHAR(500) NULL,
  -- made on compliance approval; stream_key is a secret (applicant and non-rep staff only)
  stream_name VARCHAR(40) NULL,
  stream_key VARCHAR(64) NULL,
  push_url VARCHAR(600) NULL,
  play_url VARCHAR(600) NULL,
  replay_url VARCHAR(500) NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_lives_status_start (status, start_at),
  KEY idx_lives_applicant (applicant_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE live_topics (
  live_id BIGINT UNSIGNED NOT NULL,
  topic VARCHAR(32) NOT NULL,
  PRIMARY KEY (live_id, topic)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE live_speakers (
  live_id BIGINT UNSIGNED NOT NULL,
  seq INT NOT NULL,
  name VARCHAR(40) NOT NULL,
  hospital VARCHAR(100) NOT NULL,
  title VARCHAR(40) NOT NULL,
  PRIMARY KEY (live_id, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Audience segments; none (with audience_all = 1) means everyone.
CREATE TABLE live_audience (
  live_id BIGINT UNSIGNED NOT NULL,
  segment_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (live_id, segment_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Short tokens put in mini-program code scenes (≤ 32 chars, WECHAT.md): which live stream and
-- which rep (NULL when marketing made it) a poster stands for, and the poster itself.
CREATE TABLE live_scenes (
  token VARCHAR(32) NOT NULL,
  live_id BIGINT UNSIGNED NOT NULL,
  rep_id BIGINT UNSIGNED NULL,
  poster_name VARCHAR(64) NOT NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (token),
  UNIQUE KEY uq_live_scenes_rep (live_id, rep_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- notice_state: none (no subscription) | pending | sending (claimed by a job run) | sent | failed
-- notice_kind: reminder | cancellation. via: poster | share | direct.
CREATE TABLE live_registrations (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  live_id BIGINT UNSIGNED NOT NULL,
  hcp_id BIGINT UNSIGNED NOT NULL,
  registered_at DATETIME(3) NOT NULL,
  subscribed TINYINT(1) NOT NULL,
  via VARCHAR(8) NOT NULL,
  scene_token VARCHAR(32) NULL,
  inviter_rep_id BIGINT UNSIGNED NULL,
  inviter_hcp_id BIGINT UNSIGNED NULL,
  notice_kind VARCHAR(16) NOT NULL,
  notice_state VARCHAR(8) NOT NULL,
  notice_attempts INT NOT NULL DEFAULT 0,
  notice_claim VARCHAR(32) NULL,
  notice_at DATETIME(3) NULL,
  notice_errcode INT NULL,
  notice_errmsg VARCHAR(200) NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_live_registration (live_id, hcp_id),
  KEY idx_live_registrations_hcp (hcp_id, live_id),
  KEY idx_live_registrations_notice (notice_state, notice_kind, live_id, id),
  KEY idx_live_registrations_rep (inviter_rep_id, live_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Doctors who opened a live stream's page while it was live or as a replay (registered or not):
-- the report reads their heartbeats by (hcp_id, time), the events table's own index.
CREATE TABLE live_viewers (
  live_id BIGINT UNSIGNED NOT NULL,
  hcp_id BIGINT UNSIGNED NOT NULL,
  first_at DATETIME(3) NOT NULL,
  PRIMARY KEY (live_id, hcp_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
