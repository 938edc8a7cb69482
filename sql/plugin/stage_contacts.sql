-- Every target's contact row, read once: each device's state and its mask
-- before and after the change. Counting, planning, recording and writing all
-- read this stage, never the host rows' masks again. A target without a contact
-- row has no device on record.
INSERT INTO cpb_tmp_contact_stage (person_id, allowed_bits, {{each_device:contact:stage_column_names}})
SELECT s.person_id, s.allowed_bits, {{each_device:contact:stage_values}}
FROM (
    SELECT t.person_id, t.allowed_bits, {{each_device:contact:state_and_old}}
    FROM cpb_tmp_target t
    LEFT JOIN contact c ON c.person_id = t.person_id
    {{keep_apart}}
) s
