-- Fragment: the plan rows s that warning :warning counts, in the order of its rows w.
FROM cpb_plan_warned_row w
JOIN cpb_plan_row s ON s.plan_id = w.plan_id AND s.row_kind = w.row_kind AND s.row_id = w.row_id
