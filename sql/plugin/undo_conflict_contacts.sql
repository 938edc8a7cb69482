-- The first rows of the undone batch that no undo of it has restored, with
-- why: a later recorded batch changed them, or something else did.
SELECT ch.person_id AS row_id, {{person_sort_name}} AS name,
       CASE WHEN EXISTS (SELECT 1 FROM cpb_contact_change l
                          WHERE l.person_id = ch.person_id AND l.batch_id > :undone_batch_id AND l.batch_id <> :batch_id
                            AND l.batch_id NOT IN (SELECT b.batch_id FROM cpb_batch b WHERE b.action = 'undo' AND b.undone_batch_id = :undone_batch_id))
            THEN 'later_batch' ELSE 'changed_since' END AS why,
       {{each_device:contact:conflict_columns}}
FROM cpb_contact_change ch
LEFT JOIN contact c ON c.person_id = ch.person_id
LEFT JOIN person p ON p.person_id = ch.person_id
WHERE ch.batch_id = :undone_batch_id
  AND NOT EXISTS (SELECT 1 FROM cpb_contact_change u
                   WHERE u.person_id = ch.person_id
                     AND (u.batch_id = :batch_id
                          OR u.batch_id IN (SELECT b.batch_id FROM cpb_batch b WHERE b.action = 'undo' AND b.undone_batch_id = :undone_batch_id)))
ORDER BY ch.person_id
LIMIT 100
