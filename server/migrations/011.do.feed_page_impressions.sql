-- Impressions as one row per feed page shown instead of one per item: a page of ten wrote ten
-- rows and three index entries each, about 100 µs of MariaDB CPU per feed request; one row per
-- page costs about 8 µs. Every fact is kept. `items` is the page in order, space separated, each
-- `<content id>.<reason kind letter>` (the letters of feed/snapshots.ts); an item's position is
-- the one before it plus one (the first's is `first_position`), unless it carries its own as
-- `.<position>`: a later page leaves out items that stopped being eligible, so its positions in
-- the ranking can have gaps (feed/impressions.ts reads and writes this form).
CREATE TABLE feed_page_impressions (
  id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  hcp_id BIGINT UNSIGNED NOT NULL,
  shown_at DATETIME(3) NOT NULL,
  snapshot_token CHAR(22) NULL,
  first_position INT NOT NULL,
  items VARCHAR(2000) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_feed_page_impressions_hcp (hcp_id, shown_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- MySQL's and TiDB's default (1024 bytes) could cut a long page short.
SET SESSION group_concat_max_len = 65535;

-- The rows of one page share the doctor, the snapshot token (NULL when everything fitted on the
-- page) and the time shown. An unknown reason kind becomes 'k' (picked), as snapshots read it.
INSERT INTO feed_page_impressions (hcp_id, shown_at, snapshot_token, first_position, items)
SELECT hcp_id, shown_at, snapshot_token, MIN(position),
       GROUP_CONCAT(
         CONCAT(content_id, '.', letter, CASE WHEN previous IS NULL OR position = previous + 1 THEN '' ELSE CONCAT('.', position) END)
         ORDER BY position, id SEPARATOR ' ')
  FROM (SELECT id, hcp_id, shown_at, snapshot_token, content_id, position,
               CASE reason_kind
                 WHEN 'affinity' THEN 'a' WHEN 'cluster' THEN 'c' WHEN 'peers' THEN 'p'
                 WHEN 'fresh' THEN 'f' WHEN 'editor' THEN 'e' ELSE 'k' END AS letter,
               LAG(position) OVER (PARTITION BY hcp_id, snapshot_token, shown_at ORDER BY position, id) AS previous
          FROM feed_impressions) shown
 GROUP BY hcp_id, snapshot_token, shown_at
 ORDER BY MIN(id);

DROP TABLE feed_impressions;
