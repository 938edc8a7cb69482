-- Writes what a batch recorded, the households with keys in (:after_key, :last_key]
-- (see write_contact_changes.sql).
UPDATE household
SET phone_messenger = ch.new_phone_messenger,
    modified_by_id  = ch.new_modified_by_id,
    modified_date   = ch.new_modified_date
FROM cpb_household_change ch
WHERE ch.batch_id = :batch_id
  AND ch.household_id > :after_key AND ch.household_id <= :last_key
  AND household.household_id = ch.household_id
  AND household.household_id > :after_key AND household.household_id <= :last_key
