-- The plan's changed row at :offset in the review's order (name, id, kind), the
-- order plan_rows pages in: the benchmark's middle page starts after it.
SELECT row_kind, row_id FROM cpb_plan_row
WHERE plan_id = :plan_id AND changed = 1
ORDER BY sort_name, row_id, row_kind
LIMIT 1 OFFSET :offset
