-- Staged rows that change but whose host row no longer holds the masks the
-- plan saw (or is gone): any of them refuses the apply (CONTRACT 9.1).
SELECT (SELECT COUNT(*) FROM cpb_tmp_contact_stage s
         LEFT JOIN contact c ON c.person_id = s.person_id
         WHERE ({{each_device:contact:changed: OR }})
           AND (c.person_id IS NULL OR NOT ({{each_device:contact:holds_old: AND }})))
     + (SELECT COUNT(*) FROM cpb_tmp_household_stage s
         LEFT JOIN household h ON h.household_id = s.household_id
         WHERE {{changed:household_phone}}
           AND (h.household_id IS NULL OR NOT ({{holds_old:household_phone}})))
