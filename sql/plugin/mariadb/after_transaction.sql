-- Runs after the batch's commit or rollback: the session as the host had it.
SET SESSION sql_mode = @cpb_saved_sql_mode, SESSION innodb_lock_wait_timeout = @cpb_saved_lock_wait;
