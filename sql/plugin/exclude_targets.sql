-- The people the options leave out are no targets (CONTRACT 9.1).
DELETE FROM cpb_tmp_target WHERE person_id IN (SELECT x.person_id FROM cpb_tmp_exclude_person x)
