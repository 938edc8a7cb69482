-- The batch's change rows are new to the planner's statistics; without them
-- it expects one row and writes them back through an index probe per row.
ANALYZE cpb_contact_change;
