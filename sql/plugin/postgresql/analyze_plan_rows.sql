-- The plan's rows were just written to cpb_plan_row, which holds every kept
-- plan: its statistics know no rows of this plan, so the planner took the
-- plan's 29,000 contact rows at 20,000 students for 5 and looped over them,
-- rescanning the household stage once per row (the warned rows: 3 s against
-- 0.1 s at 20,000 students); and a warning's review page, taking the
-- plan's changed rows for 231 of 38,938, joined them all by hash and sorted
-- them instead of following the warned rows' order (238 ms a page against
-- 18 ms at 20,000 students, 2.9 s at 300,000). A warning's page finds the
-- plan's rows by their key (plan_warned_rows.sql): without row_id's
-- statistics the planner takes each key for thousands of rows (3,468 at
-- 300,000 students), and a page of 1,000 found by key was hashed against
-- the whole host tables and compiled (JIT): 0.87 s against 10 ms.
-- Only the columns a plan's rows are chosen and looked up by, from a sample
-- of 3,000 rows: a few milliseconds where a whole ANALYZE of the table takes
-- a quarter of a second at 20,000 students and grows with the district. SET
-- LOCAL lasts to the end of the plan's transaction; the second SET puts the
-- server's value back for the rest of it.
SET LOCAL default_statistics_target = 10;
ANALYZE cpb_plan_row (plan_id, row_kind, row_id, changed, skipped);
SET LOCAL default_statistics_target TO DEFAULT;
