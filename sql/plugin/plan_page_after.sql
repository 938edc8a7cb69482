-- Fragment: from the cursor's row on, in the review's order (name, id, kind).
-- The first page starts before every row.
(r.sort_name > :after_name
 OR (r.sort_name = :after_name AND (r.row_id > :after_id OR (r.row_id = :after_id AND r.row_kind >= :after_kind))))
ORDER BY r.sort_name, r.row_id, r.row_kind
LIMIT :limit
