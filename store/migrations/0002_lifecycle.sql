-- Per-account invitation timing: remind after, expire after (milliseconds; 0 = the defaults).
ALTER TABLE accounts ADD COLUMN remind_after_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD COLUMN expire_after_ms BIGINT NOT NULL DEFAULT 0;
