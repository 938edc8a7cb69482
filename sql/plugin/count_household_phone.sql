SELECT 'household_phone',
       {{on_record}},
       t.allowed_bits,
       {{portal_protected}},
       h.phone_messenger,
       COUNT(*)
FROM cpb_tmp_household t
JOIN household h ON h.household_id = t.household_id
GROUP BY 2, 3, 4, 5
