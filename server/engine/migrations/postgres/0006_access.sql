-- Sign-in and access: people with password hashes, browser sessions (only a
-- hash of each session id is kept), role bindings per project (namespace ''
-- for cluster-wide ones), and API tokens (hashed; shown once when made).
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_ms    BIGINT NOT NULL
);

CREATE TABLE sessions (
    id_hash      TEXT PRIMARY KEY,
    user_name    TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_ms   BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL,
    client       TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_name);

CREATE TABLE role_bindings (
    namespace    TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    role         TEXT NOT NULL,
    created_ms   BIGINT NOT NULL,
    PRIMARY KEY (namespace, subject_kind, subject_name, role)
);
CREATE INDEX role_bindings_subject ON role_bindings (subject_kind, subject_name);

CREATE TABLE api_tokens (
    token_hash   TEXT PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    user_name    TEXT NOT NULL,
    description  TEXT NOT NULL,
    created_ms   BIGINT NOT NULL,
    expires_ms   BIGINT,
    revoked_ms   BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_name);

-- As in OpenShift: everyone signed in reads the shared project, and every
-- person may request projects of their own.
INSERT INTO role_bindings (namespace, subject_kind, subject_name, role, created_ms)
VALUES ('openshift', 'Group', 'system:authenticated', 'view', 0),
       ('', 'Group', 'system:authenticated:oauth', 'self-provisioner', 0);
