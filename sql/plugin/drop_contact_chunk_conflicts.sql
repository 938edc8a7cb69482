-- A chunk's recorded rows that were not written (the host row changed since)
-- leave the record: the batch did not change them, and an undo must not either.
DELETE FROM cpb_contact_change
WHERE batch_id = :batch_id
  AND person_id > :after_key AND person_id <= :last_key
  AND NOT EXISTS (SELECT 1 FROM contact c
                  WHERE c.person_id = cpb_contact_change.person_id
                    AND c.modified_by_id {{same_as}} cpb_contact_change.new_modified_by_id
                    AND {{each_device:contact:holds_recorded_new: AND }})
