-- The households in which a target is a member on :date, once, keyed (the
-- passes after it join the household rows).
INSERT INTO bench_audit_household (household_id)
SELECT DISTINCT hm.household_id
FROM bench_audit_contact t
JOIN household_member hm ON hm.person_id = t.person_id
WHERE hm.household_id IS NOT NULL
  AND (hm.start_date IS NULL OR hm.start_date <= :date)
  AND (hm.end_date IS NULL OR hm.end_date >= :date)
