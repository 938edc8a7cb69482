-- begin.sql of a run that only reads (a plan's pages, Transaction Access::read):
-- one snapshot, and no batch lock, so that a page does not queue behind a
-- running batch; it reads a plan as it was before the batch or after it.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;
