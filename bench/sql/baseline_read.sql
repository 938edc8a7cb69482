-- The row-by-row baseline reads the target contact rows (the same targets as
-- the floor) with their devices and masks, then updates them one by one.
SELECT c.person_id,
       c.cell_phone, c.work_phone, c.other_phone, c.email, c.secondary_email,
       c.cell_phone_messenger, c.work_phone_messenger, c.other_phone_messenger, c.email_messenger, c.secondary_email_messenger
FROM contact c
WHERE c.person_id IN (
        SELECT rp.person_id2
        FROM related_pair rp
        WHERE rp.messenger = 1
          AND (rp.start_date IS NULL OR rp.start_date <= :date)
          AND (rp.end_date IS NULL OR rp.end_date >= :date)
          AND rp.person_id1 IN (SELECT e.person_id
                                FROM enrollment e
                                JOIN calendar cal ON cal.calendar_id = e.calendar_id
                                WHERE cal.end_year = :end_year
                                  AND e.no_show = 0
                                  AND (e.end_date IS NULL OR e.end_date >= :date)))
ORDER BY c.person_id
