-- The page rows of a plan's skipped cells that a warning counts and pass the other filters.
SELECT COALESCE(SUM({{each_device:household:device_skip_rows: + }} + {{each_device:contact:device_skip_rows: + }}), 0)
{{plan_warned_rows}}
WHERE w.plan_id = :plan_id AND w.warning = :warning AND s.skipped = 1 AND {{plan_skipped_filter}}
