-- An apply of a plan stages the plan's rows, less the people and households the
-- apply leaves out; a household stays while a target of the plan who is not
-- left out lives there. Then it goes on as a direct apply does.
INSERT INTO cpb_tmp_contact_stage (person_id, allowed_bits, {{each_device:contact:stage_column_names}})
SELECT r.row_id, r.allowed_bits, {{each_device:contact:stage_column_names}}
FROM cpb_plan_row r
WHERE r.plan_id = :plan_id AND r.row_kind = 0
  AND r.row_id NOT IN (SELECT x.person_id FROM cpb_tmp_exclude_person x);
INSERT INTO cpb_tmp_member (person_id, household_id)
SELECT m.person_id, m.household_id
FROM cpb_plan_member m
WHERE m.plan_id = :plan_id
  AND m.person_id NOT IN (SELECT x.person_id FROM cpb_tmp_exclude_person x)
  AND m.household_id NOT IN (SELECT x.household_id FROM cpb_tmp_exclude_household x);
INSERT INTO cpb_tmp_household_stage (household_id, allowed_bits, {{each_device:household:stage_column_names}})
SELECT r.row_id, r.allowed_bits, {{each_device:household:stage_column_names}}
FROM cpb_plan_row r
WHERE r.plan_id = :plan_id AND r.row_kind = 1
  AND r.row_id IN (SELECT m.household_id FROM cpb_tmp_member m)
