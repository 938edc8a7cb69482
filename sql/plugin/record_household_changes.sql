-- Records every staged household row whose phone mask changes (see record_contact_changes).
INSERT INTO cpb_household_change (
    batch_id, household_id, old_phone_messenger, old_modified_by_id, old_modified_date,
    new_phone_messenger, new_modified_by_id, new_modified_date)
SELECT :batch_id, s.household_id, s.household_phone_old, h.modified_by_id, h.modified_date, s.household_phone_new, :user_id, :now
FROM cpb_tmp_household_stage s
JOIN household h ON h.household_id = s.household_id
WHERE {{changed:household_phone}}
ORDER BY s.household_id
