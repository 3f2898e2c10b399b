-- Projects: the namespaces everything else lives in.
CREATE TABLE projects (
    name         TEXT PRIMARY KEY,
    display_name TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL DEFAULT '',
    created_ms   BIGINT NOT NULL
);

INSERT INTO projects (name, display_name, description, created_ms) VALUES
    ('openshift', 'Shared images', 'Image streams every project can use, such as the sample builder images.',
     (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT),
    ('default', '', 'The project used when none is named.',
     (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT);
