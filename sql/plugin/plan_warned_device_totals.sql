-- The page rows of each device and kind among the rows warning :warning counts,
-- summed from the stage just saved (as plan_device_totals.sql) for the rows
-- the warning keeps: the stage's narrow rows by their keys rather than the
-- plan's wide ones (at 20,000 students 0.16 s for both warnings).
SELECT c.*, h.*
FROM (SELECT {{each_device:contact:device_totals}}
      FROM cpb_plan_warned_row w
      JOIN cpb_tmp_contact_stage s ON s.person_id = w.row_id
      WHERE w.plan_id = :plan_id AND w.warning = :warning AND w.row_kind = 0) c,
     (SELECT {{each_device:household:device_totals}}
      FROM cpb_plan_warned_row w
      JOIN cpb_tmp_household_stage s ON s.household_id = w.row_id
      WHERE w.plan_id = :plan_id AND w.warning = :warning AND w.row_kind = 1) h
