-- The sort name of the row a cursor points at.
SELECT r.sort_name FROM cpb_plan_row r WHERE r.plan_id = :plan_id AND r.row_kind = :after_kind AND r.row_id = :after_id
