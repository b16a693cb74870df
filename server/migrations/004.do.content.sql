-- Content (DESIGN §6): an item is an identity (type, original author); every edit of a published
-- item is a new version, and each version carries all its fields and its own workflow status.
-- What a doctor sees is one query over content_versions (domains/content/eligibility.ts): the
-- newest version with status 'published' whose live_from has passed, before its expiry, for an
-- audience the doctor is in. `scheduled`, `expired` and `superseded` are read from the clock, so
-- nothing has to run for an item to go live or expire.

CREATE TABLE content_items (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  content_type VARCHAR(8) NOT NULL,
  author_id BIGINT UNSIGNED NOT NULL,
  latest_version_no INT NOT NULL,
  archived_at DATETIME(3) NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_content_items_type (content_type)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- status: draft | in_review | approved | published | superseded | archived (stored); a stored
-- 'published' version reads as scheduled before live_from and expired after expire_at.
-- live_from is set by publish: the later of publish_at and the moment of publishing.
CREATE TABLE content_versions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  item_id BIGINT UNSIGNED NOT NULL,
  version_no INT NOT NULL,
  status VARCHAR(16) NOT NULL,
  title VARCHAR(200) NOT NULL,
  summary VARCHAR(500) NULL,
  cover_url VARCHAR(500) NULL,
  body MEDIUMTEXT NULL,
  video_url VARCHAR(500) NULL,
  rx_only TINYINT(1) NOT NULL,
  priority INT NOT NULL,
  audience_all TINYINT(1) NOT NULL,
  publish_at DATETIME(3) NULL,
  expire_at DATETIME(3) NULL,
  live_from DATETIME(3) NULL,
  published_by BIGINT UNSIGNED NULL,
  author_id BIGINT UNSIGNED NOT NULL,
  edited_by BIGINT UNSIGNED NOT NULL,
  reviewed_by BIGINT UNSIGNED NULL,
  reviewed_at DATETIME(3) NULL,
  review_comment VARCHAR(500) NULL,
  created_at DATETIME(3) NOT NULL,
  updated_at DATETIME(3) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_content_version (item_id, version_no),
  KEY idx_content_versions_live (status, live_from),
  KEY idx_content_versions_item_status (item_id, status, version_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Topics per version (codes from the shared vocabulary), for filters and affinity.
CREATE TABLE content_topics (
  version_id BIGINT UNSIGNED NOT NULL,
  topic VARCHAR(32) NOT NULL,
  PRIMARY KEY (version_id, topic),
  KEY idx_content_topics_topic (topic, version_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Audience per version when it is not everyone (audience_all = 0): the segments it targets.
CREATE TABLE content_audience (
  version_id BIGINT UNSIGNED NOT NULL,
  segment_id BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (version_id, segment_id),
  KEY idx_content_audience_segment (segment_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Files in <DATA_DIR>/media, under names the server made (random; never the uploader's name).
CREATE TABLE media_files (
  name VARCHAR(40) NOT NULL,
  content_type VARCHAR(32) NOT NULL,
  bytes INT NOT NULL,
  width INT NULL,
  height INT NULL,
  uploaded_by BIGINT UNSIGNED NULL,
  created_at DATETIME(3) NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
