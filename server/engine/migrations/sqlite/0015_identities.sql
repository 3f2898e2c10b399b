-- People who sign in through an OpenID Connect provider: the provider's
-- issuer and subject (stable for the person there) map to a user here,
-- made at their first sign-in.
CREATE TABLE identities (
    issuer     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    user_name  TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (issuer, subject)
);
CREATE INDEX identities_by_user ON identities (user_name);

-- The group memberships an identity provider's groups claim gave: taken
-- away again when a later sign-in's claim no longer names the group.
-- Memberships cluster admins gave are not listed and never taken away.
CREATE TABLE provider_group_members (
    group_name TEXT NOT NULL,
    user_name  TEXT NOT NULL,
    PRIMARY KEY (group_name, user_name)
);
