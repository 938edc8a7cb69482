-- The rows of a plan's warnings were just written: without statistics the
-- planner takes the table for empty and joins a warning's page to the host
-- tables by scanning them once per row (8.5 s a page at 20,000 students
-- against 27 ms). Another account owning the table makes this a warning, not an error.
ANALYZE cpb_plan_warned_row;
