-- The rows of a plan's warnings were just written: without statistics the
-- planner takes the table for empty and joins a warning's page to the host
-- tables by scanning them once per row (8.5 s a page at 20,000 students
-- against 27 ms). A sample of 3,000 rows tells it how many rows a plan and a
-- warning have (as analyze_plan_rows.sql). Another account owning the table
-- makes this a warning, not an error.
SET LOCAL default_statistics_target = 10;
ANALYZE cpb_plan_warned_row;
SET LOCAL default_statistics_target TO DEFAULT;
