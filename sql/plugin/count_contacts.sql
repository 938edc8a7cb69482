-- Every target and the cells of their five contact devices, in one pass.
-- A target with no contact row has no device on record.
SELECT COUNT(*),
       {{count_device:cell_phone}},
       {{count_device:work_phone}},
       {{count_device:other_phone}},
       {{count_device:email}},
       {{count_device:secondary_email}}
FROM cpb_tmp_target t
LEFT JOIN contact c ON c.person_id = t.person_id
