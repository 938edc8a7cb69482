-- Writes one chunk of what a chunked batch recorded; a row that no longer
-- holds the masks the batch read is a conflict and left alone.
UPDATE contact
SET {{each_device:contact:set_new}},
    modified_by_id = ch.new_modified_by_id,
    modified_date  = ch.new_modified_date
FROM cpb_contact_change ch
WHERE ch.batch_id = :batch_id
  AND ch.person_id > :after_key AND ch.person_id <= :last_key
  AND contact.person_id = ch.person_id
  AND {{each_device:contact:holds_recorded_old: AND }}
