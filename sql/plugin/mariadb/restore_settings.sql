-- Runs after the batch's commit or rollback, and after the plugin's own tables
-- are created: the session's settings as the host had them (own_settings.sql).
SET SESSION sql_mode = @cpb_saved_sql_mode, SESSION group_concat_max_len = @cpb_saved_group_concat_max_len;
