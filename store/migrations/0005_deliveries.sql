-- Lever webhook deliveries seen, so each is acted on once (issue 15): Lever signs only
-- token + triggeredAt, so a token is single-use and its delivery's content must not change.
-- token_hash and content_hash are hex SHA-256; expires_at (unix ms) is when the delivery falls
-- out of the acceptance window and the row may go; completed_at is 0 until it was answered 2xx.
CREATE TABLE webhook_deliveries (
    account_id   TEXT   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash   TEXT   NOT NULL,
    content_hash TEXT   NOT NULL,
    expires_at   BIGINT NOT NULL,
    completed_at BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, token_hash)
);

CREATE INDEX webhook_deliveries_by_expiry ON webhook_deliveries (expires_at);
