-- Fragment: the batch's contact targets, resolved inline: everyone related to
-- an enrolled student by a Messenger relationship active on :date (the
-- floor's on PostgreSQL and MariaDB, and the row-by-row baseline's).
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
                          AND (e.end_date IS NULL OR e.end_date >= :date))
