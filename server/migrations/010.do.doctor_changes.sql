-- A log of doctors whose HCP360 state changed (the engine evaluated them: new events, a profile,
-- verification or merge, a segment's membership; or everyone, after a rule or settings change),
-- for the read-side caches every BFF instance keeps (the feed's doctor state, feed/doctorState.ts).
-- One row per engine batch, the ids packed in a text column ('*' = everyone), so an instance
-- following the log reads a few rows a second however many doctors a batch touched. Rows are
-- swept after an hour; a cache entry never outlives a few minutes, so nothing older is needed.
CREATE TABLE doctor_changes (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  changed_at DATETIME(3) NOT NULL,
  hcp_ids MEDIUMTEXT NOT NULL,
  PRIMARY KEY (id),
  KEY idx_doctor_changes_at (changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
