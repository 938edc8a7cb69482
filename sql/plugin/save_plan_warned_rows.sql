-- Keeps which of the plan's rows its warnings count (cpb_plan_warned_row), by
-- the definitions the warnings' counts use, with the rows' saved sort names.
INSERT INTO cpb_plan_warned_row (plan_id, warning, sort_name, row_id, row_kind)
SELECT r.plan_id, :warning_no_emergency_channel, r.sort_name, r.row_id, r.row_kind
FROM cpb_tmp_contact_stage s
JOIN cpb_plan_row r ON r.plan_id = :plan_id AND r.row_kind = 0 AND r.row_id = s.person_id
WHERE {{lacks_emergency_channel}};
INSERT INTO cpb_plan_warned_row (plan_id, warning, sort_name, row_id, row_kind)
SELECT r.plan_id, :warning_reaches_non_targets, r.sort_name, r.row_id, r.row_kind
-- The households as one set, joined once: PostgreSQL ran an IN over the
-- outer join as a loop (16 s at 20,000 students against 0.1 s).
FROM cpb_plan_row r
JOIN (SELECT DISTINCT s.household_id {{non_target_members}} {{keep_apart}}) x ON x.household_id = r.row_id
WHERE r.plan_id = :plan_id AND r.row_kind = 1;
