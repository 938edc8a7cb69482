-- The page rows a filter without a search matches, as the plan counted them (cpb_plan_total).
SELECT t.total FROM cpb_plan_total t
WHERE t.plan_id = :plan_id AND t.kind = :kind AND t.warning = :warning AND t.device = :device
