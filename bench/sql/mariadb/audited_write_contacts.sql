-- MariaDB: a multi-table UPDATE ... JOIN (see audited_write_contacts.sql).
-- The audited floor writes the host rows from its record, in one statement.
UPDATE contact x
JOIN cpb_contact_change ch ON ch.batch_id = :batch_id AND ch.person_id = x.person_id
SET x.cell_phone_messenger = ch.new_cell_phone_messenger,
    x.work_phone_messenger = ch.new_work_phone_messenger,
    x.other_phone_messenger = ch.new_other_phone_messenger,
    x.email_messenger = ch.new_email_messenger,
    x.secondary_email_messenger = ch.new_secondary_email_messenger,
    x.modified_by_id = ch.new_modified_by_id,
    x.modified_date = ch.new_modified_date
