-- Projects: the namespaces everything else lives in.
CREATE TABLE projects (
    name         TEXT PRIMARY KEY,
    display_name TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    created_ms   BIGINT NOT NULL
);

INSERT INTO projects (name, display_name, description, created_ms) VALUES
    ('openshift', 'Shared images', 'Image streams every project can use, such as the sample builder images.',
     CAST(strftime('%s', 'now') AS INTEGER) * 1000),
    ('default', '', 'The project used when none is named.',
     CAST(strftime('%s', 'now') AS INTEGER) * 1000);
