-- The plan's rows were just written to cpb_plan_row, which holds every kept
-- plan: its statistics know no rows of this plan, so the planner took the
-- plan's 29,000 contact rows at 20,000 students for 5 and looped over them,
-- rescanning the household stage once per row (the warned rows: 3 s at
-- 20,000 students, 10 s at 50,000). Only the columns a plan's rows are chosen
-- by, from a sample of 3,000 rows: a few milliseconds where a whole ANALYZE
-- of the table takes a quarter of a second at 20,000 students and grows with
-- the district. SET LOCAL lasts to the end of the plan's transaction; the
-- second SET puts the server's value back for the rest of it.
SET LOCAL default_statistics_target = 10;
ANALYZE cpb_plan_row (plan_id, row_kind);
SET LOCAL default_statistics_target TO DEFAULT;
