-- Fragment: the enrolled students of the toolbar selection (CONTRACT 4.1-4.2).
-- An enrollment that starts after :date still counts; one that ended before it does not.
SELECT e.person_id
FROM enrollment e
JOIN calendar c ON c.calendar_id = e.calendar_id
WHERE c.end_year = :end_year
  AND e.person_id IS NOT NULL
  AND (:school_id = 0 OR c.school_id = :school_id)
  AND (:calendar_id = 0 OR c.calendar_id = :calendar_id)
  AND e.no_show = 0
  AND (e.end_date IS NULL OR e.end_date >= :date)
  AND (:filter_id = 0 OR e.person_id IN (SELECT m.person_id FROM adhoc_filter_member m WHERE m.filter_id = :filter_id))
