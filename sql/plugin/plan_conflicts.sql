-- Staged rows that change but whose host row is gone or no longer holds what
-- the plan's decision read (masks, devices on record, protection; CONTRACT
-- 12.1): any of them refuses the apply.
SELECT (SELECT COUNT(*) FROM cpb_tmp_contact_stage s
         LEFT JOIN contact c ON c.person_id = s.person_id
         WHERE ({{each_device:contact:changed: OR }})
           AND (c.person_id IS NULL OR NOT ({{each_device:contact:holds_staged_decision: AND }})))
     + (SELECT COUNT(*) FROM cpb_tmp_household_stage s
         LEFT JOIN household h ON h.household_id = s.household_id
         WHERE {{changed:household_phone}}
           AND (h.household_id IS NULL OR NOT ({{holds_staged_decision:household_phone}})))
