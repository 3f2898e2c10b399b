-- Pull secrets of each project: registries and usernames in the clear (the
-- pages list them), passwords only sealed with the server's secrets key.
CREATE TABLE pull_secrets (
    namespace  TEXT NOT NULL,
    name       TEXT NOT NULL,
    logins     TEXT NOT NULL,
    sealed     TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    PRIMARY KEY (namespace, name)
);

-- `oc secrets link <account> <secret> --for=pull`.
CREATE TABLE pull_secret_links (
    namespace       TEXT NOT NULL,
    secret          TEXT NOT NULL,
    service_account TEXT NOT NULL,
    PRIMARY KEY (namespace, secret, service_account)
);
