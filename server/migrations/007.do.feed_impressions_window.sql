-- The feed reads a doctor's impressions of the last 14 days grouped by item (feed/impressions.ts:
-- how often each item was shown since it was last opened). With the item in the index that read
-- is a range over the window that never touches the rows; by (hcp_id, shown_at) alone it looked
-- up every row. Newest-first listings (impressionsOf) use the same index.
ALTER TABLE feed_impressions DROP INDEX idx_feed_impressions_hcp, ADD INDEX idx_feed_impressions_hcp_window (hcp_id, shown_at, content_id);
