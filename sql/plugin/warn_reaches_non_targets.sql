-- People who are no targets but live, on :date, in a household whose phone
-- the batch changes (CONTRACT 9.2).
SELECT COUNT(DISTINCT hm.person_id)
FROM cpb_tmp_household_stage s
JOIN household_member hm ON hm.household_id = s.household_id
WHERE {{changed:household_phone}}
  AND hm.person_id IS NOT NULL
  AND (hm.start_date IS NULL OR hm.start_date <= :date)
  AND (hm.end_date IS NULL OR hm.end_date >= :date)
  AND NOT EXISTS (SELECT 1 FROM cpb_tmp_contact_stage t WHERE t.person_id = hm.person_id)
