-- The stage's targets and the cells of their contact devices, in one pass.
SELECT COUNT(*) AS rows_staged, {{each_device:contact:count_device}}
FROM cpb_tmp_contact_stage s
