-- Every target household's row, read once (see stage_contacts).
INSERT INTO cpb_tmp_household_stage (household_id, allowed_bits, {{each_device:household:stage_column_names}})
SELECT s.household_id, s.allowed_bits, {{each_device:household:stage_values}}
FROM (
    SELECT t.household_id, t.allowed_bits, {{each_device:household:state_and_old}}
    FROM cpb_tmp_household t
    JOIN household h ON h.household_id = t.household_id
    {{keep_apart}}
) s
