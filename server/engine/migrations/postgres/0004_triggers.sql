-- Objects whose image change triggers watch tags: BuildConfigs,
-- DeploymentConfigs and Kubernetes workloads with the
-- image.openshift.io/triggers annotation. One JSON document per object.
CREATE TABLE trigger_owners (
    namespace        TEXT NOT NULL,
    kind             TEXT NOT NULL,
    name             TEXT NOT NULL,
    uid              TEXT NOT NULL,
    resource_version BIGINT NOT NULL,
    created_ms       BIGINT NOT NULL,
    document         TEXT NOT NULL,
    PRIMARY KEY (namespace, kind, name)
);

-- Which owner watches which tag, rewritten with every owner write.
CREATE TABLE trigger_watches (
    stream_namespace TEXT NOT NULL,
    stream           TEXT NOT NULL,
    tag              TEXT NOT NULL,
    namespace        TEXT NOT NULL,
    kind             TEXT NOT NULL,
    name             TEXT NOT NULL,
    trigger_index    INTEGER NOT NULL,
    PRIMARY KEY (namespace, kind, name, trigger_index),
    FOREIGN KEY (namespace, kind, name) REFERENCES trigger_owners (namespace, kind, name) ON DELETE CASCADE
);
CREATE INDEX trigger_watches_tag ON trigger_watches (stream_namespace, stream, tag);

-- The outbox: every change of a tag's resolved pull spec, written in the
-- transaction that changed the tag and removed when the trigger engine has
-- acted on it (in the transaction that records what it did).
CREATE TABLE tag_events (
    id          BIGSERIAL PRIMARY KEY,
    namespace   TEXT NOT NULL,
    stream      TEXT NOT NULL,
    tag         TEXT NOT NULL,
    change      TEXT NOT NULL,
    old_image   TEXT NOT NULL,
    new_image   TEXT NOT NULL,
    old_spec    TEXT NOT NULL,
    new_spec    TEXT NOT NULL,
    at_ms       BIGINT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before_ms BIGINT NOT NULL DEFAULT 0,
    last_error  TEXT
);
CREATE INDEX tag_events_tag ON tag_events (namespace, stream, tag, id);

-- Every evaluation of a trigger: when, from which value to which, and what
-- came of it (fired, or why not).
CREATE TABLE trigger_evaluations (
    id            BIGSERIAL PRIMARY KEY,
    namespace     TEXT NOT NULL,
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    trigger_index INTEGER NOT NULL,
    watched       TEXT NOT NULL,
    at_ms         BIGINT NOT NULL,
    from_spec     TEXT NOT NULL,
    to_spec       TEXT NOT NULL,
    outcome       TEXT NOT NULL,
    detail        TEXT NOT NULL
);
CREATE INDEX trigger_evaluations_owner ON trigger_evaluations (namespace, kind, name, id);

-- Builds and rollouts the triggers started.
CREATE TABLE trigger_runs (
    namespace   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    owner       TEXT NOT NULL,
    number      BIGINT NOT NULL,
    name        TEXT NOT NULL,
    cause       TEXT NOT NULL,
    images      TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    PRIMARY KEY (namespace, kind, owner, number)
);

-- Webhooks of a project: where to POST which events, and the key that
-- signs them.
CREATE TABLE webhooks (
    namespace   TEXT NOT NULL,
    name        TEXT NOT NULL,
    url         TEXT NOT NULL,
    secret      TEXT NOT NULL,
    -- Comma-separated: tag-created, tag-moved, tag-deleted, trigger-fired.
    events      TEXT NOT NULL,
    created_ms  BIGINT NOT NULL,
    PRIMARY KEY (namespace, name)
);

-- Every delivery: queued in the transaction that recorded its event,
-- attempted by any replica holding its lease, retried with backoff.
CREATE TABLE webhook_deliveries (
    id             BIGSERIAL PRIMARY KEY,
    namespace      TEXT NOT NULL,
    webhook        TEXT NOT NULL,
    event          TEXT NOT NULL,
    payload        TEXT NOT NULL,
    state          TEXT NOT NULL,
    attempts       INTEGER NOT NULL DEFAULT 0,
    due_ms         BIGINT NOT NULL,
    lease_until_ms BIGINT,
    status_code    INTEGER,
    last_error     TEXT,
    created_ms     BIGINT NOT NULL,
    delivered_ms   BIGINT,
    FOREIGN KEY (namespace, webhook) REFERENCES webhooks (namespace, name) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, due_ms);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries (namespace, webhook, id);
