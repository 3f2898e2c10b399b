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
