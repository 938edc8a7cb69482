-- Fragment: the names x.name of a household's members, in one text, in name
-- order; cut at the 700 characters of cpb_plan_row.sort_name (own_tables.sql).
LEFT(GROUP_CONCAT(x.name ORDER BY x.name SEPARATOR '; '), 700)
