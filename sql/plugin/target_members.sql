-- Which target lives in which household on :date. A membership without a
-- household names none.
INSERT INTO cpb_tmp_member (person_id, household_id)
SELECT DISTINCT hm.person_id, hm.household_id
FROM cpb_tmp_target t
JOIN household_member hm ON hm.person_id = t.person_id
WHERE hm.household_id IS NOT NULL
  AND (hm.start_date IS NULL OR hm.start_date <= :date)
  AND (hm.end_date IS NULL OR hm.end_date >= :date)
