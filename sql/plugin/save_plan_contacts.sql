-- Keeps the stage's contact rows as the plan's, with the names the review lists.
INSERT INTO cpb_plan_row (plan_id, row_kind, row_id, sort_name, allowed_bits, changed, skipped,
                          {{each_device:contact:stage_column_names}})
SELECT :plan_id, 0, s.person_id, {{person_sort_name}}, s.allowed_bits,
       CASE WHEN {{each_device:contact:changed: OR }} THEN 1 ELSE 0 END,
       CASE WHEN {{each_device:contact:skip_rows: + }} > 0 THEN 1 ELSE 0 END,
       {{each_device:contact:stage_column_names}}
FROM cpb_tmp_contact_stage s
LEFT JOIN person p ON p.person_id = s.person_id
