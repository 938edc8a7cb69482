-- The people and households of a plan's rows that its apply leaves out.
SELECT (SELECT COUNT(*) FROM cpb_plan_row r
         WHERE r.plan_id = :plan_id AND r.row_kind = 0
           AND r.row_id IN (SELECT x.person_id FROM cpb_tmp_exclude_person x)) AS persons,
       (SELECT COUNT(*) FROM cpb_plan_row r
         WHERE r.plan_id = :plan_id AND r.row_kind = 1
           AND r.row_id IN (SELECT x.household_id FROM cpb_tmp_exclude_household x)) AS households
