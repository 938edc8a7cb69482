-- Records every staged household row whose phone mask changes (see record_contact_changes).
INSERT INTO cpb_household_change ({{household_change_columns}})
SELECT :batch_id, s.household_id, s.household_phone_old, h.modified_by_id, h.modified_date, s.household_phone_new, :user_id, :now,
       s.allowed_bits, s.household_phone_state
FROM cpb_tmp_household_stage s
JOIN household h ON h.household_id = s.household_id
WHERE {{changed:household_phone}}
ORDER BY s.household_id
