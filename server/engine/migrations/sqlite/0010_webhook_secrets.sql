-- Webhook signing secrets are sealed with the server's secrets key from now
-- on; rows written before stay readable as they were stored.
ALTER TABLE webhooks ADD COLUMN secret_sealed INTEGER NOT NULL DEFAULT 0;
