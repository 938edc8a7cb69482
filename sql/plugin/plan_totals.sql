-- The number of rows each kind of plan_rows pages through. The plan's rows are
-- the stage's rows, just saved: they are summed from the stage (two small
-- working tables read in full) rather than read back from cpb_plan_row through
-- its index, row by row (at 100,000 students: a third of a million index
-- entries and their rows).
SELECT c.changes + h.changes AS changes, c.skipped + h.skipped AS skipped
FROM (SELECT COALESCE(SUM({{each_device:contact:change_rows: + }}), 0) AS changes,
             COALESCE(SUM({{each_device:contact:skip_rows: + }}), 0) AS skipped
      FROM cpb_tmp_contact_stage s) c,
     (SELECT COALESCE(SUM({{each_device:household:change_rows: + }}), 0) AS changes,
             COALESCE(SUM({{each_device:household:skip_rows: + }}), 0) AS skipped
      FROM cpb_tmp_household_stage s) h
