-- The calendars of the toolbar's calendar picker; the page narrows them by year and school.
SELECT calendar_id, school_id, end_year, name FROM calendar ORDER BY end_year DESC, name, calendar_id
