-- The change log: every write to an object gets the next id as its
-- resourceVersion; watches and live updates read it.
CREATE TABLE changes (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    resource  TEXT NOT NULL,
    namespace TEXT NOT NULL,
    name      TEXT NOT NULL,
    event     TEXT NOT NULL,
    at_ms     BIGINT NOT NULL,
    document  TEXT NOT NULL
);
CREATE INDEX changes_by_resource ON changes (resource, id);

-- Image streams, one JSON document each (metadata, spec, status).
CREATE TABLE image_streams (
    namespace        TEXT NOT NULL REFERENCES projects (name) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    uid              TEXT NOT NULL,
    resource_version BIGINT NOT NULL,
    created_ms       BIGINT NOT NULL,
    updated_ms       BIGINT NOT NULL,
    document         TEXT NOT NULL,
    PRIMARY KEY (namespace, name)
);

-- Images: cluster-wide, immutable, named by digest.
CREATE TABLE images (
    name             TEXT PRIMARY KEY,
    resource_version BIGINT NOT NULL,
    created_ms       BIGINT NOT NULL,
    document         TEXT NOT NULL
);
