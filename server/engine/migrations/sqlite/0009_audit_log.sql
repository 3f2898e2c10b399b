-- The audit log: every change asked of the server - who, what, which
-- object, when, from where, and how it ended.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at_ms      BIGINT NOT NULL,
    user_name  TEXT NOT NULL,
    action     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    namespace  TEXT NOT NULL,
    name       TEXT NOT NULL,
    client     TEXT NOT NULL,
    status     INTEGER NOT NULL,
    message    TEXT NOT NULL
);
CREATE INDEX audit_log_namespace ON audit_log (namespace, id);
CREATE INDEX audit_log_user ON audit_log (user_name, id);
