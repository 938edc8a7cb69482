-- Working sets of one run, emptied before each run.
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_target (
    person_id    INTEGER PRIMARY KEY,
    allowed_bits INTEGER NOT NULL          -- reason bits this person may receive (staff only with an assignment)
);
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_household (
    household_id INTEGER PRIMARY KEY,
    allowed_bits INTEGER NOT NULL
);
DELETE FROM cpb_tmp_target;
DELETE FROM cpb_tmp_household;
