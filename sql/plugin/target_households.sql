-- Households in which a target is a member on :date, less those the options
-- leave out. A household may take the staff bit when any of its target members may.
INSERT INTO cpb_tmp_household (household_id, allowed_bits)
SELECT m.household_id, MAX(t.allowed_bits)
FROM cpb_tmp_member m
JOIN cpb_tmp_target t ON t.person_id = m.person_id
WHERE m.household_id NOT IN (SELECT x.household_id FROM cpb_tmp_exclude_household x)
GROUP BY m.household_id
