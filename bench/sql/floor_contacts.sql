-- The floor for contacts: the rows an apply in student_messenger_contacts mode
-- changes, found and updated by one statement. Targets are resolved inline
-- (floor_contact_targets.sql; on SQLite read from keyed tables, floor_resolve.sql);
-- a mask whose bits stay the same keeps its value (NULL included), and only a
-- row with a changed bit is written. :set and :clear are the reason bits.
UPDATE contact
SET cell_phone_messenger = CASE WHEN cell_phone IS NULL OR TRIM(cell_phone) = ''
                                  OR ((COALESCE(cell_phone_messenger, 0) & ~:clear) | :set) = COALESCE(cell_phone_messenger, 0)
                                THEN cell_phone_messenger ELSE (COALESCE(cell_phone_messenger, 0) & ~:clear) | :set END,
    work_phone_messenger = CASE WHEN work_phone IS NULL OR TRIM(work_phone) = ''
                                  OR ((COALESCE(work_phone_messenger, 0) & ~:clear) | :set) = COALESCE(work_phone_messenger, 0)
                                THEN work_phone_messenger ELSE (COALESCE(work_phone_messenger, 0) & ~:clear) | :set END,
    other_phone_messenger = CASE WHEN other_phone IS NULL OR TRIM(other_phone) = ''
                                   OR ((COALESCE(other_phone_messenger, 0) & ~:clear) | :set) = COALESCE(other_phone_messenger, 0)
                                 THEN other_phone_messenger ELSE (COALESCE(other_phone_messenger, 0) & ~:clear) | :set END,
    email_messenger = CASE WHEN email IS NULL OR TRIM(email) = ''
                             OR ((COALESCE(email_messenger, 0) & ~:clear) | :set) = COALESCE(email_messenger, 0)
                           THEN email_messenger ELSE (COALESCE(email_messenger, 0) & ~:clear) | :set END,
    secondary_email_messenger = CASE WHEN secondary_email IS NULL OR TRIM(secondary_email) = ''
                                       OR ((COALESCE(secondary_email_messenger, 0) & ~:clear) | :set) = COALESCE(secondary_email_messenger, 0)
                                     THEN secondary_email_messenger ELSE (COALESCE(secondary_email_messenger, 0) & ~:clear) | :set END,
    modified_by_id = :user_id,
    modified_date = :now
WHERE person_id IN ({{floor_contact_targets}})
  AND (   (cell_phone IS NOT NULL AND TRIM(cell_phone) <> ''
           AND ((COALESCE(cell_phone_messenger, 0) & ~:clear) | :set) <> COALESCE(cell_phone_messenger, 0))
       OR (work_phone IS NOT NULL AND TRIM(work_phone) <> ''
           AND ((COALESCE(work_phone_messenger, 0) & ~:clear) | :set) <> COALESCE(work_phone_messenger, 0))
       OR (other_phone IS NOT NULL AND TRIM(other_phone) <> ''
           AND ((COALESCE(other_phone_messenger, 0) & ~:clear) | :set) <> COALESCE(other_phone_messenger, 0))
       OR (email IS NOT NULL AND TRIM(email) <> ''
           AND ((COALESCE(email_messenger, 0) & ~:clear) | :set) <> COALESCE(email_messenger, 0))
       OR (secondary_email IS NOT NULL AND TRIM(secondary_email) <> ''
           AND ((COALESCE(secondary_email_messenger, 0) & ~:clear) | :set) <> COALESCE(secondary_email_messenger, 0)))
