-- Every target and the cells of their five contact devices, in one pass; each
-- device's state is computed once per row (the inner query is kept apart by
-- keep_apart, so that its expressions are not copied into every sum). A target
-- with no contact row has no device on record.
SELECT COUNT(*),
       {{count_device:cell_phone}},
       {{count_device:work_phone}},
       {{count_device:other_phone}},
       {{count_device:email}},
       {{count_device:secondary_email}}
FROM (
    SELECT t.allowed_bits,
           {{cell_state:cell_phone}} AS cell_phone,
           {{cell_state:work_phone}} AS work_phone,
           {{cell_state:other_phone}} AS other_phone,
           {{cell_state:email}} AS email,
           {{cell_state:secondary_email}} AS secondary_email
    FROM cpb_tmp_target t
    LEFT JOIN contact c ON c.person_id = t.person_id
    {{keep_apart}}
) s
