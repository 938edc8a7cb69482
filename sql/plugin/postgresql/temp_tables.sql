-- Working sets of one run; emptied at commit and gone with the connection.
-- No index: the statements that read them join them whole (hash joins), and
-- the inserts that fill them are DISTINCT or GROUP BY already.
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_target (
    person_id    BIGINT NOT NULL,
    allowed_bits INTEGER NOT NULL          -- reason bits this person may receive (staff only with an assignment)
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_household (
    household_id BIGINT NOT NULL,
    allowed_bits INTEGER NOT NULL
) ON COMMIT DELETE ROWS;
