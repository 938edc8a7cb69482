-- The stage's households and the cells of their phone, in one pass.
SELECT COUNT(*) AS rows_staged, {{each_device:household:count_device}}
FROM cpb_tmp_household_stage s
