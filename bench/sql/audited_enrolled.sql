-- Fragment: the students enrolled in :end_year on :date, for the audited
-- floor's targets (audited_scan_whole.sql: a column read by scanning whole).
SELECT e.person_id
FROM enrollment e
JOIN calendar cal ON cal.calendar_id = e.calendar_id
WHERE {{audited_scan_whole}}cal.end_year = :end_year
  AND e.no_show = 0
  AND (e.end_date IS NULL OR e.end_date >= :date)
