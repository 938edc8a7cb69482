-- The plugin's own tables (prefix cpb_), created when missing. No GRANT is
-- issued: they carry the rights of the account the host connects with.
-- DATETIME where the others say TIMESTAMP: a MariaDB TIMESTAMP column changes on its own on UPDATE.
CREATE TABLE IF NOT EXISTS cpb_batch (
    batch_id           BIGINT PRIMARY KEY,
    tool               TEXT NOT NULL,
    action             TEXT NOT NULL,            -- 'apply' or 'undo'
    status             TEXT NOT NULL,            -- 'applied' or 'undone'
    undone_batch_id    BIGINT,                   -- for an undo: the batch it took back
    undone_by_batch_id BIGINT,                   -- the undo that took this batch back
    user_id            BIGINT NOT NULL,
    end_year           INTEGER NOT NULL,
    school_id          BIGINT NOT NULL,
    calendar_id        BIGINT NOT NULL,
    effective_date     DATE NOT NULL,
    mode               TEXT,
    options            TEXT NOT NULL,            -- the options as understood, JSON
    result             TEXT NOT NULL,            -- the result JSON
    persons            BIGINT NOT NULL,
    households         BIGINT NOT NULL,
    updated            BIGINT NOT NULL,
    unchanged          BIGINT NOT NULL,
    started_at         DATETIME NOT NULL,
    finished_at        DATETIME NOT NULL
) ENGINE = InnoDB;
-- One row per contact row a batch changed: the masks and stamp before and after.
CREATE TABLE IF NOT EXISTS cpb_contact_change (
    batch_id                      BIGINT NOT NULL,
    person_id                     BIGINT NOT NULL,
    old_cell_phone_messenger      INTEGER,
    old_work_phone_messenger      INTEGER,
    old_other_phone_messenger     INTEGER,
    old_email_messenger           INTEGER,
    old_secondary_email_messenger INTEGER,
    old_modified_by_id            BIGINT,
    old_modified_date             DATETIME,
    new_cell_phone_messenger      INTEGER,
    new_work_phone_messenger      INTEGER,
    new_other_phone_messenger     INTEGER,
    new_email_messenger           INTEGER,
    new_secondary_email_messenger INTEGER,
    new_modified_by_id            BIGINT,
    new_modified_date             DATETIME,
    PRIMARY KEY (batch_id, person_id)
) ENGINE = InnoDB;
CREATE TABLE IF NOT EXISTS cpb_household_change (
    batch_id            BIGINT NOT NULL,
    household_id        BIGINT NOT NULL,
    old_phone_messenger INTEGER,
    old_modified_by_id  BIGINT,
    old_modified_date   DATETIME,
    new_phone_messenger INTEGER,
    new_modified_by_id  BIGINT,
    new_modified_date   DATETIME,
    PRIMARY KEY (batch_id, household_id)
) ENGINE = InnoDB;
-- One row whose lock serialises batches (begin.sql), since LOCK TABLES commits.
CREATE TABLE IF NOT EXISTS cpb_batch_lock (
    lock_id INTEGER PRIMARY KEY
) ENGINE = InnoDB;
INSERT IGNORE INTO cpb_batch_lock (lock_id) VALUES (1);
