-- Service accounts of each project; their API tokens are rows of api_tokens
-- acting as system:serviceaccount:<namespace>:<name>.
CREATE TABLE service_accounts (
    namespace  TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (namespace, name)
);
