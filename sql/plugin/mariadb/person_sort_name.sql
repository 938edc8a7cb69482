-- Fragment: see person_sort_name.sql; MariaDB reads || as OR. Cut at the 700
-- characters of cpb_plan_row.sort_name (own_tables.sql).
LEFT(CONCAT(COALESCE(p.last_name, ''), ', ', COALESCE(p.first_name, '')), 700)
