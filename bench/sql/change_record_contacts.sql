-- A batch's contact change records, every column but the batch id and the
-- time of the new stamp (two batches' records are compared by digest).
SELECT person_id,
       old_cell_phone_messenger, old_work_phone_messenger, old_other_phone_messenger, old_email_messenger, old_secondary_email_messenger,
       old_modified_by_id, old_modified_date,
       new_cell_phone_messenger, new_work_phone_messenger, new_other_phone_messenger, new_email_messenger, new_secondary_email_messenger,
       new_modified_by_id, allowed_bits,
       cell_phone_state, work_phone_state, other_phone_state, email_state, secondary_email_state
FROM cpb_contact_change
WHERE batch_id = :batch_id
ORDER BY person_id
