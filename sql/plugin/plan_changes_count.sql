-- The page rows of a plan's changes that pass the filters (the "total" of a
-- filtered page; an unfiltered page reads cpb_plan.changes_total).
SELECT COALESCE(SUM({{each_device:household:device_change_rows: + }} + {{each_device:contact:device_change_rows: + }}), 0)
FROM cpb_plan_row s
WHERE s.plan_id = :plan_id AND s.changed = 1 AND {{plan_changes_filter}}
