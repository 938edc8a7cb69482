-- Working sets of one run, emptied before each run (MariaDB has no ON COMMIT
-- DELETE ROWS). Keyed, since MariaDB's plans look them up by key. utf8mb4, as
-- the plugin's own tables (own_tables.sql), whatever the database's default.
CREATE TEMPORARY TABLE IF NOT EXISTS cpb_tmp_target (
    person_id    BIGINT NOT NULL PRIMARY KEY,
    allowed_bits INTEGER NOT NULL          -- reason bits this person may receive (staff only with an assignment)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TEMPORARY TABLE IF NOT EXISTS cpb_tmp_household (
    household_id BIGINT NOT NULL PRIMARY KEY,
    allowed_bits INTEGER NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TEMPORARY TABLE IF NOT EXISTS cpb_tmp_member (
    person_id    BIGINT NOT NULL,
    household_id BIGINT NOT NULL,
    PRIMARY KEY (person_id, household_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TEMPORARY TABLE IF NOT EXISTS cpb_tmp_exclude_person (person_id BIGINT NOT NULL PRIMARY KEY) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TEMPORARY TABLE IF NOT EXISTS cpb_tmp_exclude_household (household_id BIGINT NOT NULL PRIMARY KEY) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TEMPORARY TABLE IF NOT EXISTS cpb_tmp_contact_stage (
    person_id    BIGINT NOT NULL PRIMARY KEY,
    allowed_bits INTEGER NOT NULL,
    {{each_device:contact:stage_columns}}
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
CREATE TEMPORARY TABLE IF NOT EXISTS cpb_tmp_household_stage (
    household_id BIGINT NOT NULL PRIMARY KEY,
    allowed_bits INTEGER NOT NULL,
    {{each_device:household:stage_columns}}
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
DELETE FROM cpb_tmp_target;
DELETE FROM cpb_tmp_household;
DELETE FROM cpb_tmp_member;
DELETE FROM cpb_tmp_exclude_person;
DELETE FROM cpb_tmp_exclude_household;
DELETE FROM cpb_tmp_contact_stage;
DELETE FROM cpb_tmp_household_stage;
