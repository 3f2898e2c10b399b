-- A project's newest change, which keys the catalog items kept in memory for
-- it (a change in one project no longer makes every project's catalog read
-- again).
CREATE INDEX changes_by_namespace ON changes (namespace, id);
