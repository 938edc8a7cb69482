-- The page rows of each device and kind among all of a plan's rows, summed
-- from the stage just saved (as plan_totals.sql).
SELECT c.*, h.*
FROM (SELECT {{each_device:contact:device_totals}} FROM cpb_tmp_contact_stage s) c,
     (SELECT {{each_device:household:device_totals}} FROM cpb_tmp_household_stage s) h
