-- begin.sql of a run that only reads (a plan's pages, Transaction Access::read):
-- one consistent snapshot, read without locks. Under begin.sql's SERIALIZABLE
-- every row a page's search passes over was share-locked: a rare name's first
-- page at 300,000 students took 1.0 s, and the host rows a page lists were
-- held against a parent saving in the portal until it ended. No batch lock
-- either: a page does not wait for a running batch, and reads a plan as it
-- was before the batch or after it, never half of it.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
{{own_settings}}
