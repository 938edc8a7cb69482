-- The rows of one plan in cpb_plan_row (its staged host rows).
SELECT COUNT(*) FROM cpb_plan_row WHERE plan_id = :plan_id
