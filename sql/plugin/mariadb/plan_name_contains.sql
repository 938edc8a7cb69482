-- Fragment: see plan_name_contains.sql. MariaDB matches the name with a regular
-- expression of the text that ignores case (:name_regex, plan_rows.cpp's
-- contains_regex), not LOWER(name) LIKE: lowering every name of the plan cost
-- more than passing over them (a rare name at 300,000 students, 584,000 rows:
-- 0.29 s lowered and matched, 0.15 s by the expression, 0.10 s the rows alone).
-- Its case folding is Unicode's, as LOWER's was.
$row.sort_name REGEXP :name_regex
