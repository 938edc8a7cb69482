-- The households the options leave out in which a target lives: those that
-- were really left out (an id of no target's household is not counted).
SELECT COUNT(DISTINCT m.household_id) FROM cpb_tmp_member m
WHERE m.household_id IN (SELECT x.household_id FROM cpb_tmp_exclude_household x)
