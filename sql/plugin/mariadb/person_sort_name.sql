-- Fragment: see person_sort_name.sql; MariaDB reads || as OR.
CONCAT(COALESCE(p.last_name, ''), ', ', COALESCE(p.first_name, ''))
