-- The audited floor writes the host rows from its record, in one statement.
UPDATE household
SET phone_messenger = ch.new_phone_messenger,
    modified_by_id = ch.new_modified_by_id,
    modified_date = ch.new_modified_date
FROM cpb_household_change ch
WHERE ch.batch_id = :batch_id
  AND household.household_id = ch.household_id
