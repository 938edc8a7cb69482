-- Fragment ending temp_tables.sql: the working sets emptied before a run.
DELETE FROM cpb_tmp_target;
DELETE FROM cpb_tmp_household;
DELETE FROM cpb_tmp_member;
DELETE FROM cpb_tmp_exclude_person;
DELETE FROM cpb_tmp_exclude_household;
DELETE FROM cpb_tmp_contact_stage;
DELETE FROM cpb_tmp_household_stage;
