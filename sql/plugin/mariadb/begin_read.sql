-- begin.sql of a run that only reads (a plan's pages, Transaction Access::read):
-- one consistent snapshot, read without locks. Under begin.sql's SERIALIZABLE
-- every row a page's search passed over was share-locked, and the host rows a
-- page lists were held against a parent saving in the portal until it ended
-- (a rare name's page of a 50,000-student plan: 0.20 s a call, 0.175 s
-- without the locks). No batch lock either: a page does not wait for a
-- running batch, and reads a plan as it was before the batch or after it.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ;
{{own_settings}}
