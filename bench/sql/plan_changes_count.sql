-- How many rows of a plan change: the middle page of plan_rows starts half way.
SELECT COUNT(*) FROM cpb_plan_row WHERE plan_id = :plan_id AND changed = 1
