-- Pages of streams and images go by name in byte order (COLLATE "C"), which
-- the primary keys' default collation cannot serve: without these, every page
-- sorted all of a project's streams.
CREATE INDEX image_streams_by_name_bytes ON image_streams (namespace, name COLLATE "C");
CREATE INDEX images_by_name_bytes ON images (name COLLATE "C");
