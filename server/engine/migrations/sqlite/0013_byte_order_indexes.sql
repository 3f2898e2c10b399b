-- SQLite compares text byte by byte already, so its primary keys serve pages
-- in byte order; this keeps the migration numbers of both databases alike.
SELECT 1;
