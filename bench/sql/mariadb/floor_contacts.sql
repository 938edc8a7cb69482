-- The floor for contacts on MariaDB (see floor_contacts.sql): the same rows and
-- values, written as MariaDB runs it fastest. The targets are a derived table
-- of distinct contacts, materialised once (related_pair read through, the
-- enrolled students a semi-join), that each contact row looks up by key: at
-- 20,000 and 100,000 students this writes in 0.7x the time of the standard
-- single-table UPDATE ... WHERE person_id IN (...), which MariaDB 10.11 runs as
-- a subquery per contact row. (With nothing to write, that per-row form is
-- faster: only rows whose bits change run it. The floor is chosen for writing.)
-- Each assignment reads only its own column, so the order of a multi-table
-- UPDATE's assignments does not matter. A text that TRIM leaves empty is not on
-- record, nor is NULL (NULL <> '' is not true). Bit operations are unsigned
-- 64-bit here; nothing subtracts.
UPDATE contact c
JOIN (SELECT DISTINCT rp.person_id2 AS person_id
      FROM related_pair rp
      WHERE rp.messenger = 1
        AND (rp.start_date IS NULL OR rp.start_date <= :date)
        AND (rp.end_date IS NULL OR rp.end_date >= :date)
        AND rp.person_id1 IN (SELECT e.person_id
                              FROM enrollment e
                              JOIN calendar cal ON cal.calendar_id = e.calendar_id
                              WHERE cal.end_year = :end_year
                                AND e.no_show = 0
                                AND (e.end_date IS NULL OR e.end_date >= :date))) t ON t.person_id = c.person_id
SET c.cell_phone_messenger = IF(TRIM(c.cell_phone) <> ''
                                  AND ((COALESCE(c.cell_phone_messenger, 0) & ~:clear) | :set) <> COALESCE(c.cell_phone_messenger, 0),
                                (COALESCE(c.cell_phone_messenger, 0) & ~:clear) | :set, c.cell_phone_messenger),
    c.work_phone_messenger = IF(TRIM(c.work_phone) <> ''
                                  AND ((COALESCE(c.work_phone_messenger, 0) & ~:clear) | :set) <> COALESCE(c.work_phone_messenger, 0),
                                (COALESCE(c.work_phone_messenger, 0) & ~:clear) | :set, c.work_phone_messenger),
    c.other_phone_messenger = IF(TRIM(c.other_phone) <> ''
                                   AND ((COALESCE(c.other_phone_messenger, 0) & ~:clear) | :set) <> COALESCE(c.other_phone_messenger, 0),
                                 (COALESCE(c.other_phone_messenger, 0) & ~:clear) | :set, c.other_phone_messenger),
    c.email_messenger = IF(TRIM(c.email) <> ''
                             AND ((COALESCE(c.email_messenger, 0) & ~:clear) | :set) <> COALESCE(c.email_messenger, 0),
                           (COALESCE(c.email_messenger, 0) & ~:clear) | :set, c.email_messenger),
    c.secondary_email_messenger = IF(TRIM(c.secondary_email) <> ''
                                       AND ((COALESCE(c.secondary_email_messenger, 0) & ~:clear) | :set) <> COALESCE(c.secondary_email_messenger, 0),
                                     (COALESCE(c.secondary_email_messenger, 0) & ~:clear) | :set, c.secondary_email_messenger),
    c.modified_by_id = :user_id,
    c.modified_date = :now
WHERE (TRIM(c.cell_phone) <> ''
       AND ((COALESCE(c.cell_phone_messenger, 0) & ~:clear) | :set) <> COALESCE(c.cell_phone_messenger, 0))
   OR (TRIM(c.work_phone) <> ''
       AND ((COALESCE(c.work_phone_messenger, 0) & ~:clear) | :set) <> COALESCE(c.work_phone_messenger, 0))
   OR (TRIM(c.other_phone) <> ''
       AND ((COALESCE(c.other_phone_messenger, 0) & ~:clear) | :set) <> COALESCE(c.other_phone_messenger, 0))
   OR (TRIM(c.email) <> ''
       AND ((COALESCE(c.email_messenger, 0) & ~:clear) | :set) <> COALESCE(c.email_messenger, 0))
   OR (TRIM(c.secondary_email) <> ''
       AND ((COALESCE(c.secondary_email_messenger, 0) & ~:clear) | :set) <> COALESCE(c.secondary_email_messenger, 0))
