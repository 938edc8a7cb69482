-- Runs after the batch's commit or rollback: the session's sql_mode as the host had it.
SET SESSION sql_mode = @cpb_saved_sql_mode;
