-- Fragment: the floor's households, resolved inline: those in which a contact
-- target is a member on :date.
SELECT hm.household_id
FROM household_member hm
WHERE (hm.start_date IS NULL OR hm.start_date <= :date)
  AND (hm.end_date IS NULL OR hm.end_date >= :date)
  AND hm.person_id IN ({{inline_targets}})
