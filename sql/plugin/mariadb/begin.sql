-- Runs first in the transaction (ODBC manual commit). Every read of the batch
-- is a locking read of the current rows (SERIALIZABLE): a host writer holding
-- a row the batch reads makes the batch wait, up to the connection's
-- innodb_lock_wait_timeout (1205: conflict), and a writer coming later waits
-- for the batch. InnoDB's REPEATABLE READ would instead let the batch write
-- over a change it never saw.
SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;
-- The session's settings as the plugin's SQL is written for (sql_mode, ...);
-- put back by restore_settings.sql.
{{own_settings}}
-- One batch at a time per database, without LOCK TABLES (which commits): the
-- row lock is held to the end of the transaction.
SELECT lock_id FROM cpb_batch_lock WHERE lock_id = 1 FOR UPDATE;
