-- Host SIS schema, every engine: the types and options that differ are the $
-- words of its dialect (plugin/odbc/engine.hpp; SQLite keeps dates and times
-- as ISO-8601 text, and its INTEGER keys are rowids). Idempotent: every
-- statement may run again.
CREATE TABLE IF NOT EXISTS school (
    school_id   $key_integer PRIMARY KEY,
    name        TEXT NOT NULL
)$host_table_options;
CREATE TABLE IF NOT EXISTS calendar (
    calendar_id $key_integer PRIMARY KEY,
    school_id   BIGINT NOT NULL REFERENCES school (school_id),
    name        TEXT NOT NULL,
    end_year    INTEGER NOT NULL,
    start_date  $date_type,
    end_date    $date_type
)$host_table_options;
CREATE TABLE IF NOT EXISTS person (
    person_id      $key_integer PRIMARY KEY,
    first_name     TEXT,
    last_name      TEXT,
    student_number TEXT,
    staff_number   TEXT
)$host_table_options;
CREATE TABLE IF NOT EXISTS user_account (
    user_id   $key_integer PRIMARY KEY,
    person_id BIGINT REFERENCES person (person_id),
    username  $keyed_text NOT NULL UNIQUE,
    is_portal INTEGER NOT NULL DEFAULT 0,
    disabled  INTEGER NOT NULL DEFAULT 0
)$host_table_options;
CREATE TABLE IF NOT EXISTS contact (
    person_id                  $key_integer PRIMARY KEY REFERENCES person (person_id),
    cell_phone                 TEXT,
    work_phone                 TEXT,
    other_phone                TEXT,
    email                      TEXT,
    secondary_email            TEXT,
    cell_phone_messenger       INTEGER,
    work_phone_messenger       INTEGER,
    other_phone_messenger      INTEGER,
    email_messenger            INTEGER,
    secondary_email_messenger  INTEGER,
    cell_phone_text_messenger  INTEGER,
    work_phone_text_messenger  INTEGER,
    other_phone_text_messenger INTEGER,
    modified_by_id             BIGINT REFERENCES user_account (user_id),
    modified_date              $timestamp_type
)$host_table_options;
CREATE TABLE IF NOT EXISTS household (
    household_id         $key_integer PRIMARY KEY,
    name                 TEXT,
    phone                TEXT,
    phone_messenger      INTEGER,
    phone_text_messenger INTEGER,
    modified_by_id       BIGINT,
    modified_date        $timestamp_type
)$host_table_options;
CREATE TABLE IF NOT EXISTS household_member (
    household_id BIGINT NOT NULL REFERENCES household (household_id),
    person_id    BIGINT NOT NULL REFERENCES person (person_id),
    start_date   $date_type,
    end_date     $date_type,
    secondary    INTEGER NOT NULL DEFAULT 0
)$host_table_options;
CREATE TABLE IF NOT EXISTS related_pair (
    pair_id      $key_integer PRIMARY KEY,
    person_id1   BIGINT NOT NULL REFERENCES person (person_id),
    person_id2   BIGINT NOT NULL REFERENCES person (person_id),
    relationship TEXT,
    guardian     INTEGER NOT NULL DEFAULT 0,
    messenger    INTEGER NOT NULL DEFAULT 0,
    start_date   $date_type,
    end_date     $date_type
)$host_table_options;
CREATE TABLE IF NOT EXISTS enrollment (
    enrollment_id $key_integer PRIMARY KEY,
    person_id     BIGINT NOT NULL REFERENCES person (person_id),
    calendar_id   BIGINT NOT NULL REFERENCES calendar (calendar_id),
    service_type  TEXT NOT NULL DEFAULT 'P',
    start_date    $date_type,
    end_date      $date_type,
    no_show       INTEGER NOT NULL DEFAULT 0
)$host_table_options;
CREATE TABLE IF NOT EXISTS district_assignment (
    assignment_id $key_integer PRIMARY KEY,
    person_id     BIGINT NOT NULL REFERENCES person (person_id),
    school_id     BIGINT,
    title         TEXT,
    start_date    $date_type,
    end_date      $date_type
)$host_table_options;
CREATE TABLE IF NOT EXISTS user_tool_right (
    user_id   BIGINT NOT NULL REFERENCES user_account (user_id),
    tool      $keyed_text NOT NULL,
    can_write INTEGER NOT NULL DEFAULT 0
)$host_table_options;
CREATE TABLE IF NOT EXISTS adhoc_filter (
    filter_id     $key_integer PRIMARY KEY,
    name          TEXT NOT NULL,
    filter_type   TEXT NOT NULL,
    owner_user_id BIGINT,
    shared        INTEGER NOT NULL DEFAULT 0
)$host_table_options;
CREATE TABLE IF NOT EXISTS adhoc_filter_member (
    filter_id BIGINT NOT NULL REFERENCES adhoc_filter (filter_id),
    person_id BIGINT NOT NULL REFERENCES person (person_id)
)$host_table_options;
-- The indexes the plugin's queries need.
CREATE INDEX IF NOT EXISTS calendar_year_school ON calendar (end_year, school_id);
CREATE INDEX IF NOT EXISTS enrollment_calendar_person ON enrollment (calendar_id, person_id);
CREATE INDEX IF NOT EXISTS related_pair_student ON related_pair (person_id1);
CREATE INDEX IF NOT EXISTS household_member_person ON household_member (person_id);
CREATE INDEX IF NOT EXISTS district_assignment_person ON district_assignment (person_id);
CREATE INDEX IF NOT EXISTS user_tool_right_user ON user_tool_right (user_id, tool);
CREATE INDEX IF NOT EXISTS adhoc_filter_member_filter ON adhoc_filter_member (filter_id, person_id);
