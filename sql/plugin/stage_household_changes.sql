INSERT INTO cpb_household_change (
    batch_id, household_id, old_phone_messenger, old_modified_by_id, old_modified_date,
    new_phone_messenger, new_modified_by_id, new_modified_date)
SELECT :batch_id, s.household_id, s.old_phone, s.modified_by_id, s.modified_date, s.new_phone, :user_id, :now
FROM (
    SELECT h.household_id, h.modified_by_id, h.modified_date, h.phone_messenger AS old_phone,
           {{new_mask:household_phone}} AS new_phone
    FROM cpb_tmp_household t
    JOIN household h ON h.household_id = t.household_id
    WHERE {{portal_protected:h}} = 0
) s
WHERE NOT (s.new_phone {{same_as}} s.old_phone)
-- In key order, so that the record's primary key grows at its end instead of everywhere.
ORDER BY s.household_id
