-- The page rows of a plan's changes that a warning counts and pass the other filters.
SELECT COALESCE(SUM({{each_device:household:device_change_rows: + }} + {{each_device:contact:device_change_rows: + }}), 0)
{{plan_warned_rows}}
WHERE w.plan_id = :plan_id AND w.warning = :warning AND s.changed = 1 AND {{plan_changes_filter}}
