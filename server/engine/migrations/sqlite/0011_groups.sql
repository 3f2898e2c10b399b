-- Groups of people (`oc adm groups new`, `add-users`): a role bound to a
-- group applies to every member.
CREATE TABLE group_members (
    group_name TEXT NOT NULL,
    user_name  TEXT NOT NULL,
    PRIMARY KEY (group_name, user_name)
);
CREATE INDEX group_members_user ON group_members (user_name);
