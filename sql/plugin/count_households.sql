-- The target households and the cells of their phone, in one pass.
SELECT COUNT(*),
       {{count_device:household_phone}}
FROM (
    SELECT t.allowed_bits, {{cell_state:household_phone}} AS household_phone
    FROM cpb_tmp_household t
    JOIN household h ON h.household_id = t.household_id
    {{keep_apart}}
) s
