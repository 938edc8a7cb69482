-- See write_contact_chunk.sql; MariaDB has no UPDATE ... FROM.
UPDATE contact
JOIN cpb_contact_change ch ON ch.person_id = contact.person_id
SET {{each_device:contact:set_new}},
    contact.modified_by_id = ch.new_modified_by_id,
    contact.modified_date  = ch.new_modified_date
WHERE ch.batch_id = :batch_id
  AND ch.person_id > :after_key AND ch.person_id <= :last_key
  AND {{each_device:contact:holds_recorded_old: AND }}
