SELECT c.school_id AS school_id, c.end_year AS end_year, c.name AS name
FROM calendar c
WHERE c.calendar_id = :calendar_id
