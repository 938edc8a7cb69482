-- Working sets of one run; emptied at commit and gone with the connection.
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_target (
    person_id    BIGINT PRIMARY KEY,
    allowed_bits INTEGER NOT NULL          -- reason bits this person may receive (staff only with an assignment)
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_household (
    household_id BIGINT PRIMARY KEY,
    allowed_bits INTEGER NOT NULL
) ON COMMIT DELETE ROWS;
