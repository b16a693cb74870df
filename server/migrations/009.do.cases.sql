-- Case collection (DESIGN §6 "Case submission"): campaigns with versioned form definitions,
-- drafts saved as the doctor types, submissions with one row per submitted version (a revision
-- is a new version of the same submission), and the case images doctors upload. Form definitions
-- and answers are JSON text (validated by shared/src/cases.ts), never queried by SQL.

CREATE TABLE case_campaigns (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  title VARCHAR(200) NOT NULL,
  description TEXT NOT NULL,
  topics VARCHAR(400) NOT NULL,
  opens_at DATETIME(3) NOT NULL,
  closes_at DATETIME(3) NOT NULL,
  audience_all TINYINT(1) NOT NULL,
  max_per_doctor INT NOT NULL,
  form_version INT NOT NULL,
  created_by BIGINT UNSIGNED NOT NULL,
  archived_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_case_campaigns_window (opens_at, closes_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every form a campaign ever had; submissions and drafts name the version they answered.
CREATE TABLE case_campaign_forms (
  campaign_id BIGINT UNSIGNED NOT NULL,
  version_no INT NOT NULL,
  definition MEDIUMTEXT NOT NULL,
  created_by BIGINT UNSIGNED NOT NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (campaign_id, version_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE case_campaign_audience (
  campaign_id BIGINT UNSIGNED NOT NULL,
  segment_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (campaign_id, segment_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- status: under_review | accepted | rejected | needs_revision. sec_suggest / sec_label: what
-- WeChat content security said of the current version ('review' asks the reviewer to look).
-- notify: the doctor accepted one hcp360-case-result subscribe message; consumed when sent.
CREATE TABLE case_submissions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  campaign_id BIGINT UNSIGNED NOT NULL,
  hcp_id BIGINT UNSIGNED NOT NULL,
  form_version INT NOT NULL,
  status VARCHAR(16) NOT NULL,
  current_version INT NOT NULL,
  sec_suggest VARCHAR(8) NULL,
  sec_label INT NULL,
  reviewer_note VARCHAR(500) NULL,
  reviewed_by BIGINT UNSIGNED NULL,
  reviewed_at DATETIME(3) NULL,
  notify TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_case_submissions_hcp (hcp_id, campaign_id),
  KEY idx_case_submissions_review (status, id),
  KEY idx_case_submissions_campaign (campaign_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Each submitted version with its own decision, so the history reads as a conversation.
CREATE TABLE case_submission_versions (
  submission_id BIGINT UNSIGNED NOT NULL,
  version_no INT NOT NULL,
  answers MEDIUMTEXT NOT NULL,
  sec_suggest VARCHAR(8) NULL,
  sec_label INT NULL,
  submitted_at DATETIME(3) NOT NULL,
  decision VARCHAR(16) NULL,
  note VARCHAR(500) NULL,
  decided_by BIGINT UNSIGNED NULL,
  decided_at DATETIME(3) NULL,
  PRIMARY KEY (submission_id, version_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One draft per doctor per campaign for a new case (submission_id 0), and one per submission
-- being revised. revision counts saves, so a save from a stale device is refused, not merged.
CREATE TABLE case_drafts (
  hcp_id BIGINT UNSIGNED NOT NULL,
  campaign_id BIGINT UNSIGNED NOT NULL,
  submission_id BIGINT UNSIGNED NOT NULL,
  form_version INT NOT NULL,
  answers MEDIUMTEXT NOT NULL,
  revision INT NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (hcp_id, campaign_id, submission_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Case images in <DATA_DIR>/case-images (not the public media folder), re-encoded, under names
-- the server made; served only to the doctor who uploaded them and to reviewers.
CREATE TABLE case_images (
  name VARCHAR(40) NOT NULL,
  hcp_id BIGINT UNSIGNED NOT NULL,
  -- set when a submitted version first names it: from then on reviewers may see it too
  submission_id BIGINT UNSIGNED NULL,
  content_type VARCHAR(32) NOT NULL,
  bytes INT NOT NULL,
  width INT NOT NULL,
  height INT NOT NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (name),
  KEY idx_case_images_hcp (hcp_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
