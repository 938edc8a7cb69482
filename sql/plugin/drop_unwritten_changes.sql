-- An undo of a chunked batch left in progress: the rows of chunks never
-- written leave its record, so that the undo restores every chunk written.
DELETE FROM cpb_contact_change WHERE batch_id = :undone_batch_id AND person_id > :contact_after;
DELETE FROM cpb_household_change WHERE batch_id = :undone_batch_id AND household_id > :household_after
