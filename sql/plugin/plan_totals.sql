-- The number of rows each kind of plan_rows pages through.
SELECT COALESCE(SUM({{each_device:household:change_rows: + }} + {{each_device:contact:change_rows: + }}), 0) AS changes,
       COALESCE(SUM({{each_device:household:skip_rows: + }} + {{each_device:contact:skip_rows: + }}), 0) AS skipped
FROM cpb_plan_row s
WHERE s.plan_id = :plan_id
