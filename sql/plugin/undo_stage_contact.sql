-- An undo is a batch of its own: every row of the undone batch that still
-- holds exactly what that batch wrote (masks and modified_by_id), whose
-- devices it changed are still on record (CONTRACT 4.4, 12.1), and that no
-- later recorded batch changed goes back to what it held before (CONTRACT
-- 9.3). The order of the records decides, not the clock: stamps of the same
-- second, or a DATE modified_date, cannot tell batches apart. A row restored
-- by an earlier undo of the same batch has a later record, so a retry leaves it.
INSERT INTO cpb_contact_change ({{contact_change_columns}})
SELECT :batch_id, c.person_id,
       {{each_device:contact:live_mask}}, c.modified_by_id, c.modified_date,
       {{each_device:contact:recorded_old}}, ch.old_modified_by_id, ch.old_modified_date,
       ch.allowed_bits, {{each_device:contact:recorded_state}}
FROM cpb_contact_change ch
JOIN contact c ON c.person_id = ch.person_id
WHERE ch.batch_id = :undone_batch_id
  AND {{each_device:contact:holds_new: AND }}
  AND c.modified_by_id {{same_as}} ch.new_modified_by_id
  AND {{each_device:contact:restores_on_record: AND }}
  AND NOT EXISTS (SELECT 1 FROM cpb_contact_change l WHERE l.person_id = ch.person_id AND l.batch_id > :undone_batch_id)
ORDER BY c.person_id
