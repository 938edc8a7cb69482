-- SQLite (see audited_targets.sql): related_pair and enrollment read whole
-- (the unary + keeps SQLite from probing their indexes once per student),
-- the enrolled students a list looked up per pair: at 20,000 students 0.7x
-- the time of the index probes SQLite chooses for the standard form.
INSERT INTO bench_audit_target (person_id)
SELECT DISTINCT rp.person_id2
FROM related_pair rp
WHERE rp.messenger = 1
  AND rp.person_id2 IS NOT NULL
  AND (rp.start_date IS NULL OR rp.start_date <= :date)
  AND (rp.end_date IS NULL OR rp.end_date >= :date)
  AND +rp.person_id1 IN (SELECT e.person_id
                         FROM enrollment e
                         JOIN calendar cal ON cal.calendar_id = e.calendar_id
                         WHERE +cal.end_year = :end_year
                           AND e.no_show = 0
                           AND (e.end_date IS NULL OR e.end_date >= :date))
