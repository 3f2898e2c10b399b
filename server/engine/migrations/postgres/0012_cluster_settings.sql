-- Cluster-wide settings a cluster admin changes at run time (the image
-- policy), one JSON document per name, with a version for optimistic
-- concurrency.
CREATE TABLE cluster_settings (
    name             TEXT PRIMARY KEY,
    document         TEXT NOT NULL,
    resource_version BIGINT NOT NULL,
    updated_by       TEXT NOT NULL,
    updated_at       BIGINT NOT NULL
);
