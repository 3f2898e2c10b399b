-- The imports the scheduler owes: one row per DockerImage tag that is
-- scheduled (importPolicy.scheduled) or still waits for its first import.
-- Times are milliseconds since the Unix epoch. A replica claims a due row by
-- writing its lease; a lease that runs out can be claimed by another.
CREATE TABLE import_schedule (
    namespace       TEXT NOT NULL,
    stream          TEXT NOT NULL,
    tag             TEXT NOT NULL,
    registry        TEXT NOT NULL,
    scheduled       INTEGER NOT NULL,
    -- 1 while the tag's current source has not been imported successfully.
    pending         INTEGER NOT NULL,
    -- The spec tag generation the row is for: a newer one makes it due now.
    generation      BIGINT NOT NULL,
    due_ms          BIGINT NOT NULL,
    last_check_ms   BIGINT,
    last_result     TEXT,
    last_error      TEXT,
    failures        INTEGER NOT NULL DEFAULT 0,
    lease_owner     TEXT,
    lease_until_ms  BIGINT,
    PRIMARY KEY (namespace, stream, tag),
    FOREIGN KEY (namespace, stream) REFERENCES image_streams (namespace, name) ON DELETE CASCADE
);
CREATE INDEX import_schedule_due ON import_schedule (due_ms);

-- What the scheduler did, for the overview's last hour (imports and
-- rate-limit waits) and for metrics across replicas.
CREATE TABLE import_checks (
    at_ms       BIGINT NOT NULL,
    namespace   TEXT NOT NULL,
    stream      TEXT NOT NULL,
    tag         TEXT NOT NULL,
    result      TEXT NOT NULL,
    duration_ms BIGINT NOT NULL
);
CREATE INDEX import_checks_at ON import_checks (at_ms);
