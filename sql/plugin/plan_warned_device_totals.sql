-- The page rows of each device and kind among the rows warning :warning counts.
SELECT {{each_device:contact:device_totals}}, {{each_device:household:device_totals}}
{{plan_warned_rows}}
WHERE w.plan_id = :plan_id AND w.warning = :warning
