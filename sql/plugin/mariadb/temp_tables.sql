-- Working sets of one run, emptied before each run (MariaDB has no ON COMMIT
-- DELETE ROWS; a temporary table is the connection's own and is not logged).
CREATE TEMPORARY TABLE IF NOT EXISTS cpb_tmp_target (
    person_id    BIGINT NOT NULL PRIMARY KEY,
    allowed_bits INTEGER NOT NULL          -- reason bits this person may receive (staff only with an assignment)
) ENGINE = InnoDB;
CREATE TEMPORARY TABLE IF NOT EXISTS cpb_tmp_household (
    household_id BIGINT NOT NULL PRIMARY KEY,
    allowed_bits INTEGER NOT NULL
) ENGINE = InnoDB;
DELETE FROM cpb_tmp_target;
DELETE FROM cpb_tmp_household;
