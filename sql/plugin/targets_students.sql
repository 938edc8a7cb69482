INSERT INTO cpb_tmp_target (person_id, allowed_bits)
SELECT DISTINCT s.person_id, 191
FROM ({{enrolled_students}}) s
