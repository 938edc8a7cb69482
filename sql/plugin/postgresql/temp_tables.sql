-- Working sets of one run; emptied at commit and gone with the connection.
-- The stages are looked up by key (warnings, records), so they have one; the
-- others are joined whole (hash joins) and filled DISTINCT or GROUP BY already.
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_target (
    person_id    BIGINT NOT NULL,
    allowed_bits INTEGER NOT NULL          -- reason bits this person may receive (staff only with an assignment)
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_household (
    household_id BIGINT NOT NULL,
    allowed_bits INTEGER NOT NULL
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_member (
    person_id    BIGINT NOT NULL,
    household_id BIGINT NOT NULL
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_exclude_person (person_id BIGINT NOT NULL PRIMARY KEY) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_exclude_household (household_id BIGINT NOT NULL PRIMARY KEY) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_contact_stage (
    person_id    BIGINT NOT NULL PRIMARY KEY,
    allowed_bits INTEGER NOT NULL,
    {{each_device:contact:stage_columns}}
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS cpb_tmp_household_stage (
    household_id BIGINT NOT NULL PRIMARY KEY,
    allowed_bits INTEGER NOT NULL,
    {{each_device:household:stage_columns}}
) ON COMMIT DELETE ROWS;
