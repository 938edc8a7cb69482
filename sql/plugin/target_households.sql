-- Households in which a target is a member on :date. A household may take the
-- staff bit when any of its target members may.
INSERT INTO cpb_tmp_household (household_id, allowed_bits)
SELECT hm.household_id, MAX(t.allowed_bits)
FROM cpb_tmp_target t
JOIN household_member hm ON hm.person_id = t.person_id
WHERE (hm.start_date IS NULL OR hm.start_date <= :date)
  AND (hm.end_date IS NULL OR hm.end_date >= :date)
GROUP BY hm.household_id
