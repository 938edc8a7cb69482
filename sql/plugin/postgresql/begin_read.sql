-- begin.sql of a run that only reads (a plan's pages, Transaction Access::read):
-- one snapshot, and no batch lock, so that a page does not queue behind a
-- running batch; it reads a plan as it was before the batch or after it.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY;
-- A page reads at most a thousand rows in an index's order: parallel workers
-- only add their start (a page of 1,000 at 300,000 students, just after its
-- plan: 45 ms with two workers, 7 ms without).
SET LOCAL max_parallel_workers_per_gather = 0;
-- Where the database has the search index (sql/host/postgresql/search_index.sql),
-- a page reads a plan's rows through an index, never by reading the table:
-- the table holds every plan kept (each 692,600 rows at 300,000 students),
-- and the planner, which prices the trigram index's longest lists above
-- their worth, read the whole table for a rare name (0.84 s with two plans
-- kept, against 0.09 s through the index). Without that index the server's
-- own choice stands.
SELECT set_config('enable_seqscan', CASE WHEN to_regclass('cpb_plan_row_search') IS NULL THEN current_setting('enable_seqscan') ELSE 'off' END, true);
