-- Ranking snapshots travel in the feed cursor, signed by the server (feed/snapshots.ts), instead
-- of a row per first page: a feed request no longer writes one, a later page no longer reads one,
-- and no sweep is needed. Cursors handed out before this change answer FEED_CURSOR_INVALID and the
-- client loads the feed again from the top, as after an expiry.
DROP TABLE feed_snapshots;
DELETE FROM feed_jobs WHERE job_key = 'snapshot_sweep';
