-- Working sets of one run, emptied at its start (empty_temp_tables.sql). Keys
-- are declared NOT NULL: SQLite's INTEGER PRIMARY KEY would turn a NULL into a
-- made-up rowid. The stages and exclusions are looked up by key (warnings,
-- records); the others by key where the engine's plans do (working_set_key.sql).
$create_temp_table IF NOT EXISTS cpb_tmp_target (
    person_id    $key_integer NOT NULL,
    allowed_bits INTEGER NOT NULL          -- reason bits this person may receive (staff only with an assignment)
    {{working_set_key:person_id}}
)$temp_table_options;
$create_temp_table IF NOT EXISTS cpb_tmp_household (
    household_id $key_integer NOT NULL,
    allowed_bits INTEGER NOT NULL
    {{working_set_key:household_id}}
)$temp_table_options;
$create_temp_table IF NOT EXISTS cpb_tmp_member (
    person_id    $key_integer NOT NULL,
    household_id $key_integer NOT NULL
    {{working_set_key:person_id, household_id}}
)$temp_table_options;
$create_temp_table IF NOT EXISTS cpb_tmp_exclude_person (person_id $key_integer NOT NULL PRIMARY KEY)$temp_table_options;
$create_temp_table IF NOT EXISTS cpb_tmp_exclude_household (household_id $key_integer NOT NULL PRIMARY KEY)$temp_table_options;
$create_temp_table IF NOT EXISTS cpb_tmp_contact_stage (
    person_id    $key_integer NOT NULL PRIMARY KEY,
    allowed_bits INTEGER NOT NULL,
    {{each_device:contact:stage_columns}}
)$temp_table_options;
$create_temp_table IF NOT EXISTS cpb_tmp_household_stage (
    household_id $key_integer NOT NULL PRIMARY KEY,
    allowed_bits INTEGER NOT NULL,
    {{each_device:household:stage_columns}}
)$temp_table_options;
{{empty_temp_tables}}
