-- Writes what a batch recorded (MariaDB has no UPDATE ... FROM; see write_household_changes.sql).
UPDATE household
JOIN cpb_household_change ch ON ch.household_id = household.household_id
SET household.phone_messenger = ch.new_phone_messenger,
    household.modified_by_id  = ch.new_modified_by_id,
    household.modified_date   = ch.new_modified_date
WHERE ch.batch_id = :batch_id
  AND ch.household_id > :after_key AND ch.household_id <= :last_key
