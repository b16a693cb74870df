-- Behaviour events, stored exactly once per (doctor, client event_id).
--
-- `id` only grows: the tagger reads new events in id order with a cursor kept in the database.
-- Partitioning by time, later: MySQL and TiDB require every unique key of a partitioned table to
-- contain the partitioning column, which uq_events_hcp_event cannot. The plan: RANGE-partition
-- `events` on `id` (monotonic, so partitions follow arrival time; one per month, old ones dropped
-- whole) and move exactly-once into a small unpartitioned `event_ids (hcp_id, event_id)` table
-- written in the same transaction. Ingest refuses events older than 30 days, so `event_ids` rows
-- older than that can be pruned and the table stays small. Nothing here blocks that move.
CREATE TABLE events (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  hcp_id BIGINT UNSIGNED NOT NULL,
  event_id VARCHAR(64) NOT NULL,
  type VARCHAR(32) NOT NULL,
  client_ts DATETIME(3) NOT NULL,
  received_at DATETIME(3) NOT NULL,
  session_id VARCHAR(64) NOT NULL,
  page VARCHAR(128) NOT NULL,
  scene INT NULL,
  props TEXT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uq_events_hcp_event (hcp_id, event_id),
  KEY idx_events_hcp_ts (hcp_id, client_ts)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
