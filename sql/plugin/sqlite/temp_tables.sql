-- Working sets of one run, emptied before each run. Keys are declared NOT
-- NULL: an INTEGER PRIMARY KEY would turn a NULL into a made-up rowid.
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_target (
    person_id    INTEGER NOT NULL PRIMARY KEY,
    allowed_bits INTEGER NOT NULL          -- reason bits this person may receive (staff only with an assignment)
);
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_household (
    household_id INTEGER NOT NULL PRIMARY KEY,
    allowed_bits INTEGER NOT NULL
);
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_member (
    person_id    INTEGER NOT NULL,
    household_id INTEGER NOT NULL,
    PRIMARY KEY (person_id, household_id)
);
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_exclude_person (person_id INTEGER NOT NULL PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_exclude_household (household_id INTEGER NOT NULL PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_contact_stage (
    person_id    INTEGER NOT NULL PRIMARY KEY,
    allowed_bits INTEGER NOT NULL,
    {{each_device:contact:stage_columns}}
);
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_household_stage (
    household_id INTEGER NOT NULL PRIMARY KEY,
    allowed_bits INTEGER NOT NULL,
    {{each_device:household:stage_columns}}
);
DELETE FROM cpb_tmp_target;
DELETE FROM cpb_tmp_household;
DELETE FROM cpb_tmp_member;
DELETE FROM cpb_tmp_exclude_person;
DELETE FROM cpb_tmp_exclude_household;
DELETE FROM cpb_tmp_contact_stage;
DELETE FROM cpb_tmp_household_stage;
