-- Imports per project and hour, successes and failures counted apart (the
-- import-activity chart reads them).
CREATE TABLE import_activity (
    namespace TEXT NOT NULL,
    hour_ms   BIGINT NOT NULL,
    succeeded BIGINT NOT NULL DEFAULT 0,
    failed    BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (namespace, hour_ms)
);
