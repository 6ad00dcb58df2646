-- Scopes Lever refused an account's call for (403), shown on the admin page until the account
-- is connected again (issue 15). seen_at is when the first refusal was recorded, unix ms.
CREATE TABLE missing_scopes (
    account_id TEXT   NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    scope      TEXT   NOT NULL,
    seen_at    BIGINT NOT NULL,
    PRIMARY KEY (account_id, scope)
);
