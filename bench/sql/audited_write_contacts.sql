-- The audited floor writes the host rows from its record, in one statement.
UPDATE contact
SET cell_phone_messenger = ch.new_cell_phone_messenger,
    work_phone_messenger = ch.new_work_phone_messenger,
    other_phone_messenger = ch.new_other_phone_messenger,
    email_messenger = ch.new_email_messenger,
    secondary_email_messenger = ch.new_secondary_email_messenger,
    modified_by_id = ch.new_modified_by_id,
    modified_date = ch.new_modified_date
FROM cpb_contact_change ch
WHERE ch.batch_id = :batch_id
  AND contact.person_id = ch.person_id
