-- See write_contact_chunk.
UPDATE household
SET phone_messenger = ch.new_phone_messenger,
    modified_by_id  = ch.new_modified_by_id,
    modified_date   = ch.new_modified_date
FROM cpb_household_change ch
WHERE ch.batch_id = :batch_id
  AND ch.household_id > :after_key AND ch.household_id <= :last_key
  AND household.household_id = ch.household_id
  AND household.phone_messenger {{same_as}} ch.old_phone_messenger
