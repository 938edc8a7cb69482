-- Everyone related to an enrolled student by a Messenger relationship active on
-- :date, the student themself included when marked as their own contact. A
-- pair whose contact is NULL names nobody.
INSERT INTO cpb_tmp_target (person_id, allowed_bits)
SELECT DISTINCT rp.person_id2, :allowed_no_staff
FROM related_pair rp
WHERE rp.messenger = 1
  AND rp.person_id2 IS NOT NULL
  AND (rp.start_date IS NULL OR rp.start_date <= :date)
  AND (rp.end_date IS NULL OR rp.end_date >= :date)
  AND rp.person_id1 IN ({{enrolled_students}})
