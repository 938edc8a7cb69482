-- The enrolled students themselves.
INSERT INTO cpb_tmp_target (person_id, allowed_bits)
SELECT DISTINCT s.person_id, :allowed_no_staff
FROM ({{enrolled_students}}) s
