-- Writes what a batch recorded, the rows with keys in (:after_key, :last_key]
-- (one slice of a write; Run::write_recorded): the same statement applies and undoes.
UPDATE contact
SET cell_phone_messenger      = ch.new_cell_phone_messenger,
    work_phone_messenger      = ch.new_work_phone_messenger,
    other_phone_messenger     = ch.new_other_phone_messenger,
    email_messenger           = ch.new_email_messenger,
    secondary_email_messenger = ch.new_secondary_email_messenger,
    modified_by_id            = ch.new_modified_by_id,
    modified_date             = ch.new_modified_date
FROM cpb_contact_change ch
WHERE ch.batch_id = :batch_id
  AND ch.person_id > :after_key AND ch.person_id <= :last_key
  AND contact.person_id = ch.person_id
  -- the same range on the host table, so that it is read by its key too
  AND contact.person_id > :after_key AND contact.person_id <= :last_key
