-- The plugin's own tables (prefix cpb_), created when missing, in the order of
-- kOwnTables (own_tables.cpp). No GRANT is issued: they carry the rights of the
-- account the host connects with. The types and table options that differ per
-- engine are the $ words of its dialect (plugin/odbc/engine.hpp).
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
    effective_date     $date_type NOT NULL,
    mode               TEXT,
    options            TEXT NOT NULL,            -- the options as understood, JSON
    result             TEXT NOT NULL,            -- the result JSON
    persons            BIGINT NOT NULL,
    households         BIGINT NOT NULL,
    updated            BIGINT NOT NULL,
    unchanged          BIGINT NOT NULL,
    started_at         $timestamp_type NOT NULL,
    finished_at        $timestamp_type NOT NULL
)$own_table_options;
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
    old_modified_date             $timestamp_type,
    new_cell_phone_messenger      INTEGER,
    new_work_phone_messenger      INTEGER,
    new_other_phone_messenger     INTEGER,
    new_email_messenger           INTEGER,
    new_secondary_email_messenger INTEGER,
    new_modified_by_id            BIGINT,
    new_modified_date             $timestamp_type,
    -- What the decision about each cell read besides its masks (CONTRACT 12.1),
    -- so that a chunk, a resume and an undo check it again: the reasons the row
    -- could receive and each device's cell state (cell_state.sql). NULL in the
    -- records of version 1.1 (added_columns in own_tables.cpp).
    allowed_bits                  INTEGER,
    {{each_device:contact:state_column}},
    PRIMARY KEY (batch_id, person_id)
)$own_table_options;
CREATE TABLE IF NOT EXISTS cpb_household_change (
    batch_id            BIGINT NOT NULL,
    household_id        BIGINT NOT NULL,
    old_phone_messenger INTEGER,
    old_modified_by_id  BIGINT,
    old_modified_date   $timestamp_type,
    new_phone_messenger INTEGER,
    new_modified_by_id  BIGINT,
    new_modified_date   $timestamp_type,
    allowed_bits        INTEGER,                -- as in cpb_contact_change
    {{each_device:household:state_column}},
    PRIMARY KEY (batch_id, household_id)
)$own_table_options;
-- The later-batch check of an undo looks up a row's records by key.
CREATE INDEX IF NOT EXISTS cpb_contact_change_person ON cpb_contact_change (person_id, batch_id);
CREATE INDEX IF NOT EXISTS cpb_household_change_household ON cpb_household_change (household_id, batch_id);
-- A plan (CONTRACT 9.1): what an apply would write, kept for review for 24 hours.
CREATE TABLE IF NOT EXISTS cpb_plan (
    plan_id          BIGINT PRIMARY KEY,
    status           TEXT NOT NULL,            -- 'planned', 'applied' or 'expired' (its rows are gone)
    applied_batch_id BIGINT,
    user_id          BIGINT NOT NULL,
    end_year         INTEGER NOT NULL,
    school_id        BIGINT NOT NULL,
    calendar_id      BIGINT NOT NULL,
    effective_date   $date_type NOT NULL,
    options          TEXT NOT NULL,            -- the options as understood, JSON
    result           TEXT NOT NULL,            -- the plan's result JSON
    changes_total    BIGINT NOT NULL,          -- plan rows of kind "changes"
    skipped_total    BIGINT NOT NULL,          -- plan rows of kind "skipped"
    created_at       $timestamp_type NOT NULL,
    expires_at       $timestamp_type NOT NULL,
    left_out_persons    INTEGER,                 -- the people and households its exclusions really left out
    left_out_households INTEGER
)$own_table_options;
-- Every staged host row of a plan: a target's contact row (row_kind 0) or a
-- target household's row (row_kind 1), each device's state and masks before
-- and after, and the name the review lists it by.
CREATE TABLE IF NOT EXISTS cpb_plan_row (
    plan_id      BIGINT NOT NULL,
    row_kind     INTEGER NOT NULL,
    row_id       BIGINT NOT NULL,
    sort_name    $keyed_text NOT NULL,         -- a page reads it in order in the key below
    allowed_bits INTEGER NOT NULL,
    changed      INTEGER NOT NULL,             -- 1: a mask of the row changes
    skipped      INTEGER NOT NULL,             -- 1: an asked cell of the row is skipped
    {{each_device:household:stage_columns}},
    {{each_device:contact:stage_columns}},
    PRIMARY KEY (plan_id, row_kind, row_id)
)$own_table_options;
CREATE INDEX IF NOT EXISTS cpb_plan_row_changes ON cpb_plan_row (plan_id, changed, sort_name, row_id, row_kind);
CREATE INDEX IF NOT EXISTS cpb_plan_row_skipped ON cpb_plan_row (plan_id, skipped, sort_name, row_id, row_kind);
-- Which target of a plan lives in which of its households.
CREATE TABLE IF NOT EXISTS cpb_plan_member (
    plan_id      BIGINT NOT NULL,
    household_id BIGINT NOT NULL,
    person_id    BIGINT NOT NULL,
    PRIMARY KEY (plan_id, household_id, person_id)
)$own_table_options;
-- The rows of a plan that its warnings count (CONTRACT 12.3): the contact rows
-- of the targets left with no emergency channel (warning 1), the household
-- rows whose change reaches people who are not targets (warning 2), kept with
-- their sort name so that a page of one warning reads this key in order
-- whether the warning counts a few rows or all of them.
CREATE TABLE IF NOT EXISTS cpb_plan_warned_row (
    plan_id   BIGINT NOT NULL,
    warning   INTEGER NOT NULL,               -- 1: no_emergency_channel, 2: reaches_non_targets (vocabulary.hpp)
    sort_name $keyed_text NOT NULL,   -- as cpb_plan_row.sort_name
    row_id    BIGINT NOT NULL,
    row_kind  INTEGER NOT NULL,
    PRIMARY KEY (plan_id, warning, sort_name, row_id, row_kind)
)$own_table_options;
-- How many page rows each filter of a plan's review matches without a search
-- (CONTRACT 12.3), counted when the plan is made: per kind (0 changes, 1
-- skipped), warning (0 none, else as in cpb_plan_warned_row) and device (its
-- index in kDevices, -1 every device).
CREATE TABLE IF NOT EXISTS cpb_plan_total (
    plan_id BIGINT NOT NULL,
    kind    INTEGER NOT NULL,
    warning INTEGER NOT NULL,
    device  INTEGER NOT NULL,
    total   BIGINT NOT NULL,
    PRIMARY KEY (plan_id, kind, warning, device)
)$own_table_options;
-- A chunked batch's progress (CONTRACT 11): how far each host table is written.
CREATE TABLE IF NOT EXISTS cpb_batch_chunk (
    batch_id        BIGINT PRIMARY KEY,
    chunk_rows      BIGINT NOT NULL,           -- host rows per chunk
    contact_after   BIGINT NOT NULL,           -- contact rows up to this person_id are written
    household_after BIGINT NOT NULL,           -- household rows up to this household_id are written
    chunks          BIGINT NOT NULL,           -- chunks written
    written         BIGINT NOT NULL,           -- host rows written
    conflicts       BIGINT NOT NULL            -- host rows changed since the batch read them, left alone
)$own_table_options;
{{engine_own_tables}}
