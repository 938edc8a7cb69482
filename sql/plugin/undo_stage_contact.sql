-- An undo is a batch of its own: every row that still holds exactly what the
-- undone batch wrote goes back to what it held before.
INSERT INTO cpb_contact_change ({{contact_change_columns}})
SELECT :batch_id, c.person_id,
       c.cell_phone_messenger, c.work_phone_messenger, c.other_phone_messenger,
       c.email_messenger, c.secondary_email_messenger, c.modified_by_id, c.modified_date,
       ch.old_cell_phone_messenger, ch.old_work_phone_messenger, ch.old_other_phone_messenger,
       ch.old_email_messenger, ch.old_secondary_email_messenger, ch.old_modified_by_id, ch.old_modified_date
FROM cpb_contact_change ch
JOIN contact c ON c.person_id = ch.person_id
WHERE ch.batch_id = :undone_batch_id
  AND c.cell_phone_messenger {{same_as}} ch.new_cell_phone_messenger
  AND c.work_phone_messenger {{same_as}} ch.new_work_phone_messenger
  AND c.other_phone_messenger {{same_as}} ch.new_other_phone_messenger
  AND c.email_messenger {{same_as}} ch.new_email_messenger
  AND c.secondary_email_messenger {{same_as}} ch.new_secondary_email_messenger
  AND c.modified_by_id {{same_as}} ch.new_modified_by_id
  AND c.modified_date {{same_as}} ch.new_modified_date
