-- What happens when a candidate submits (issue 11); every default is off. Thresholds are
-- percentages (NULL = off), stages and the archive reason are Lever ids ('' = off), the archive
-- grace is in milliseconds (0 = the default).
ALTER TABLE accounts ADD COLUMN completion_stage_id TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN pass_threshold DOUBLE PRECISION;
ALTER TABLE accounts ADD COLUMN pass_stage_id TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN fail_stage_id TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN archive_below DOUBLE PRECISION;
ALTER TABLE accounts ADD COLUMN archive_reason_id TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN archive_grace_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN upload_report BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE accounts ADD COLUMN invite_on_application BOOLEAN NOT NULL DEFAULT FALSE;

-- Per-posting overrides of the account's thresholds (NULL = the account's).
CREATE TABLE posting_settings (
    account_id     TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    posting_id     TEXT NOT NULL,
    pass_threshold DOUBLE PRECISION,
    archive_below  DOUBLE PRECISION,
    PRIMARY KEY (account_id, posting_id)
);
