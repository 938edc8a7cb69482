-- Keeps the stage's household rows as the plan's, named by their members on :date.
INSERT INTO cpb_plan_row (plan_id, row_kind, row_id, sort_name, allowed_bits, changed, skipped,
                          {{each_device:household:stage_column_names}})
SELECT :plan_id, 1, s.household_id, COALESCE(n.names, ''), s.allowed_bits,
       CASE WHEN {{each_device:household:changed: OR }} THEN 1 ELSE 0 END,
       CASE WHEN {{each_device:household:skip_rows: + }} > 0 THEN 1 ELSE 0 END,
       {{each_device:household:stage_column_names}}
FROM cpb_tmp_household_stage s
LEFT JOIN (
    SELECT x.household_id, {{member_names}} AS names
    FROM (SELECT hm.household_id, {{person_sort_name}} AS name
          FROM household_member hm
          JOIN person p ON p.person_id = hm.person_id
          WHERE hm.household_id IN (SELECT st.household_id FROM cpb_tmp_household_stage st)
            AND (hm.start_date IS NULL OR hm.start_date <= :date)
            AND (hm.end_date IS NULL OR hm.end_date >= :date)
          ORDER BY hm.household_id, name) x
    GROUP BY x.household_id
) n ON n.household_id = s.household_id
