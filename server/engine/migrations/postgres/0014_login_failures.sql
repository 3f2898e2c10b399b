-- Failed sign-ins by account (`user:<name>`) and by address
-- (`client:<address>`), so that every replica counts them against the same
-- rate limit.
CREATE TABLE login_failures (
    key   TEXT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX login_failures_by_key ON login_failures (key, at_ms);
CREATE INDEX login_failures_by_time ON login_failures (at_ms);
