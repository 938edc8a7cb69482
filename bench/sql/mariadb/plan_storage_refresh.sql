-- InnoDB updates the sizes information_schema gives only when it recounts a
-- table's statistics.
ANALYZE TABLE cpb_plan, cpb_plan_row, cpb_plan_member, cpb_plan_warned_row, cpb_plan_total;
