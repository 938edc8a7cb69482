SELECT (SELECT COUNT(*) FROM cpb_contact_change WHERE batch_id = :undone_batch_id)
     + (SELECT COUNT(*) FROM cpb_household_change WHERE batch_id = :undone_batch_id)
