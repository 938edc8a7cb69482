SELECT c.school_id, c.end_year, c.name
FROM calendar c
WHERE c.calendar_id = :calendar_id
