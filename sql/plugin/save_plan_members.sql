INSERT INTO cpb_plan_member (plan_id, household_id, person_id)
SELECT :plan_id, m.household_id, m.person_id FROM cpb_tmp_member m
