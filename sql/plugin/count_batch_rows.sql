-- The rows a batch recorded, and of those the rows an undo of it restored so far.
SELECT (SELECT COUNT(*) FROM cpb_contact_change WHERE batch_id = :undone_batch_id)
     + (SELECT COUNT(*) FROM cpb_household_change WHERE batch_id = :undone_batch_id) AS recorded,
       (SELECT COUNT(*) FROM cpb_contact_change ch
         WHERE ch.batch_id IN (SELECT b.batch_id FROM cpb_batch b WHERE b.action = 'undo' AND b.undone_batch_id = :undone_batch_id)
            OR ch.batch_id = :batch_id)
     + (SELECT COUNT(*) FROM cpb_household_change ch
         WHERE ch.batch_id IN (SELECT b.batch_id FROM cpb_batch b WHERE b.action = 'undo' AND b.undone_batch_id = :undone_batch_id)
            OR ch.batch_id = :batch_id) AS restored
