-- Fragment: the people hm who are no targets but live, on :date, in a
-- household s whose phone the batch changes (CONTRACT 9.2: the
-- reaches_non_targets warning). A target is left out by an outer join on the
-- contact stage's key (every target has a stage row): MariaDB runs a NOT
-- EXISTS here as a lookup in a copy of the whole stage, twice as slow.
FROM cpb_tmp_household_stage s
JOIN household_member hm ON hm.household_id = s.household_id
LEFT JOIN cpb_tmp_contact_stage t ON t.person_id = hm.person_id
WHERE {{changed:household_phone}}
  AND hm.person_id IS NOT NULL
  AND (hm.start_date IS NULL OR hm.start_date <= :date)
  AND (hm.end_date IS NULL OR hm.end_date >= :date)
  AND t.person_id IS NULL
