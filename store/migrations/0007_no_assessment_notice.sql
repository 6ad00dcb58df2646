-- An admin may prefer silence when a candidate enters a trigger stage with no assessment to
-- send (issue 18); by default recruiters are told in Lever (a note and a tag).
ALTER TABLE accounts ADD COLUMN quiet_no_assessment BOOLEAN NOT NULL DEFAULT FALSE;
