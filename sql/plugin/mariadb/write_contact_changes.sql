-- Writes what a batch recorded (MariaDB has no UPDATE ... FROM; see write_contact_changes.sql).
UPDATE contact
JOIN cpb_contact_change ch ON ch.person_id = contact.person_id
SET contact.cell_phone_messenger      = ch.new_cell_phone_messenger,
    contact.work_phone_messenger      = ch.new_work_phone_messenger,
    contact.other_phone_messenger     = ch.new_other_phone_messenger,
    contact.email_messenger           = ch.new_email_messenger,
    contact.secondary_email_messenger = ch.new_secondary_email_messenger,
    contact.modified_by_id            = ch.new_modified_by_id,
    contact.modified_date             = ch.new_modified_date
WHERE ch.batch_id = :batch_id
  AND ch.person_id > :after_key AND ch.person_id <= :last_key
