-- The host rows a batch wrote, as its audit recorded them.
SELECT (SELECT COUNT(*) FROM cpb_contact_change WHERE batch_id = :batch_id),
       (SELECT COUNT(*) FROM cpb_household_change WHERE batch_id = :batch_id)
