-- Records every target contact row whose masks change, before and after.
INSERT INTO cpb_contact_change ({{contact_change_columns}})
SELECT :batch_id, s.person_id,
       s.old_cell, s.old_work, s.old_other, s.old_email, s.old_secondary, s.modified_by_id, s.modified_date,
       s.new_cell, s.new_work, s.new_other, s.new_email, s.new_secondary, :user_id, :now
FROM (
    SELECT c.person_id, c.modified_by_id, c.modified_date,
           c.cell_phone_messenger AS old_cell, c.work_phone_messenger AS old_work, c.other_phone_messenger AS old_other,
           c.email_messenger AS old_email, c.secondary_email_messenger AS old_secondary,
           {{new_mask:cell_phone}} AS new_cell,
           {{new_mask:work_phone}} AS new_work,
           {{new_mask:other_phone}} AS new_other,
           {{new_mask:email}} AS new_email,
           {{new_mask:secondary_email}} AS new_secondary
    FROM cpb_tmp_target t
    JOIN contact c ON c.person_id = t.person_id
    WHERE {{portal_protected:c}} = 0
) s
WHERE NOT (s.new_cell {{same_as}} s.old_cell)
   OR NOT (s.new_work {{same_as}} s.old_work)
   OR NOT (s.new_other {{same_as}} s.old_other)
   OR NOT (s.new_email {{same_as}} s.old_email)
   OR NOT (s.new_secondary {{same_as}} s.old_secondary)
-- In key order, so that the record's primary key grows at its end instead of everywhere.
ORDER BY s.person_id
