-- Fragment: plan row s matches the search (CONTRACT 12.3): its name contains
-- :name_pattern (a LIKE pattern, escaped with '!'), whatever the case, or its
-- id is :search_id (the search text when it is all digits; else no id). Both
-- read only the page index's columns, so rows that fail are passed over
-- without reading them.
(:any_name = 1 OR LOWER(s.sort_name) LIKE LOWER(:name_pattern) ESCAPE '!' OR s.row_id = :search_id)
