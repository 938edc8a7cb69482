-- See undo_conflict_contacts.
SELECT ch.household_id AS row_id, COALESCE(h.name, '') AS name,
       CASE WHEN EXISTS (SELECT 1 FROM cpb_household_change l
                          WHERE l.household_id = ch.household_id AND l.batch_id > :undone_batch_id AND l.batch_id <> :batch_id
                            AND l.batch_id NOT IN (SELECT b.batch_id FROM cpb_batch b WHERE b.action = 'undo' AND b.undone_batch_id = :undone_batch_id))
            THEN 'later_batch' ELSE 'changed_since' END AS why,
       {{conflict_columns:household_phone}}
FROM cpb_household_change ch
LEFT JOIN household h ON h.household_id = ch.household_id
WHERE ch.batch_id = :undone_batch_id
  AND NOT EXISTS (SELECT 1 FROM cpb_household_change u
                   WHERE u.household_id = ch.household_id
                     AND (u.batch_id = :batch_id
                          OR u.batch_id IN (SELECT b.batch_id FROM cpb_batch b WHERE b.action = 'undo' AND b.undone_batch_id = :undone_batch_id)))
ORDER BY ch.household_id
LIMIT 100
