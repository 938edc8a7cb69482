-- Records every staged contact row whose masks change: the masks before and
-- after as staged, the row's stamp as it is now, and what the decision read.
INSERT INTO cpb_contact_change ({{contact_change_columns}})
SELECT :batch_id, s.person_id,
       {{each_device:contact:stage_old}}, c.modified_by_id, c.modified_date,
       {{each_device:contact:stage_new}}, :user_id, :now,
       s.allowed_bits, {{each_device:contact:stage_state}}
FROM cpb_tmp_contact_stage s
JOIN contact c ON c.person_id = s.person_id
WHERE {{each_device:contact:changed: OR }}
-- In key order, so that the record's primary key grows at its end instead of everywhere.
ORDER BY s.person_id
