-- See undo_stage_contact.
INSERT INTO cpb_household_change ({{household_change_columns}})
SELECT :batch_id, h.household_id, h.phone_messenger, h.modified_by_id, h.modified_date,
       ch.old_phone_messenger, ch.old_modified_by_id, ch.old_modified_date,
       ch.allowed_bits, ch.household_phone_state
FROM cpb_household_change ch
JOIN household h ON h.household_id = ch.household_id
WHERE ch.batch_id = :undone_batch_id
  AND {{holds_new:household_phone}}
  AND h.modified_by_id {{same_as}} ch.new_modified_by_id
  AND {{restores_on_record:household_phone}}
  AND NOT EXISTS (SELECT 1 FROM cpb_household_change l WHERE l.household_id = ch.household_id AND l.batch_id > :undone_batch_id)
ORDER BY h.household_id
