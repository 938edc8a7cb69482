-- The school years a host's toolbar offers: every year that has a calendar, newest first.
SELECT DISTINCT end_year AS end_year FROM calendar ORDER BY end_year DESC
