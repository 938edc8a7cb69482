-- The page rows of a plan's skipped cells that pass the filters (see plan_changes_count).
SELECT COALESCE(SUM({{each_device:household:device_skip_rows: + }} + {{each_device:contact:device_skip_rows: + }}), 0)
FROM cpb_plan_row s
WHERE s.plan_id = :plan_id AND s.skipped = 1 AND {{plan_skipped_filter}}
