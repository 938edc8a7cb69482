-- Fragment: the review's order (name, id, kind) of the rows $row.
ORDER BY $row.sort_name, $row.row_id, $row.row_kind
