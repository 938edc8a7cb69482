-- Runs first in the transaction. One batch at a time per database: the lock
-- is taken before the snapshot, so a waiting batch sees the one before it.
-- A row another writer changes meanwhile fails the batch (40001: conflict).
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
SET LOCAL lock_timeout = '120s';
-- Hash joins over a district's targets fit in memory instead of spilling to disk.
SET LOCAL work_mem = '64MB';
LOCK TABLE cpb_batch IN EXCLUSIVE MODE;
