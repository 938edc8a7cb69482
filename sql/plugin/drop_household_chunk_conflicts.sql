-- See drop_contact_chunk_conflicts.
DELETE FROM cpb_household_change
WHERE batch_id = :batch_id
  AND household_id > :after_key AND household_id <= :last_key
  AND NOT EXISTS (SELECT 1 FROM household h
                  WHERE h.household_id = cpb_household_change.household_id
                    AND h.modified_by_id {{same_as}} cpb_household_change.new_modified_by_id
                    AND h.phone_messenger {{same_as}} cpb_household_change.new_phone_messenger)
