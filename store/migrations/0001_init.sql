-- Portable between SQLite and PostgreSQL: TEXT, BIGINT (unix milliseconds), INTEGER,
-- DOUBLE PRECISION; natural keys only.

CREATE TABLE accounts (
    id             TEXT   NOT NULL PRIMARY KEY,
    name           TEXT   NOT NULL DEFAULT '',
    status         TEXT   NOT NULL,
    lever_base_url TEXT   NOT NULL DEFAULT '',
    access_token   TEXT   NOT NULL DEFAULT '', -- encrypted
    refresh_token  TEXT   NOT NULL DEFAULT '', -- encrypted
    token_expiry   BIGINT NOT NULL DEFAULT 0,
    api_key        TEXT   NOT NULL DEFAULT '', -- encrypted
    webhook_tokens TEXT   NOT NULL DEFAULT '', -- encrypted JSON array
    trigger_stages TEXT   NOT NULL DEFAULT '[]', -- JSON array of Lever stage ids
    perform_as     TEXT   NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);

CREATE TABLE assessments (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id         TEXT NOT NULL,
    title      TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
);

CREATE INDEX assessments_by_title ON assessments (account_id, title);

CREATE TABLE posting_mappings (
    account_id    TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    posting_id    TEXT NOT NULL,
    assessment_id TEXT NOT NULL,
    PRIMARY KEY (account_id, posting_id)
);

CREATE TABLE rating_bands (
    account_id  TEXT             NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    min_percent DOUBLE PRECISION NOT NULL,
    rating      INTEGER          NOT NULL,
    label       TEXT             NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, min_percent)
);
