-- Fragment: the name of plan row $row contains :name_pattern (a LIKE pattern
-- of the search, escaped with '!'), whatever the case.
LOWER($row.sort_name) LIKE LOWER(:name_pattern) ESCAPE '!'
