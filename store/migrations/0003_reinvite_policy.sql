-- Whether a candidate who re-enters a trigger stage after submitting is invited again:
-- 'never', 'after' (reinvite_after_ms since the last journey ended) or 'always'.
ALTER TABLE accounts ADD COLUMN reinvite_policy TEXT NOT NULL DEFAULT 'never';
ALTER TABLE accounts ADD COLUMN reinvite_after_ms BIGINT NOT NULL DEFAULT 0;
