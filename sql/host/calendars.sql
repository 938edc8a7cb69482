-- The calendars of the toolbar's calendar picker; the page narrows them by year and school.
SELECT calendar_id AS calendar_id, school_id AS school_id, end_year AS end_year, name AS name FROM calendar ORDER BY end_year DESC, name, calendar_id
