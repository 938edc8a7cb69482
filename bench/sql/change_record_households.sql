-- A batch's household change records (see change_record_contacts.sql).
SELECT household_id, old_phone_messenger, old_modified_by_id, old_modified_date, new_phone_messenger, new_modified_by_id,
       allowed_bits, household_phone_state
FROM cpb_household_change
WHERE batch_id = :batch_id
ORDER BY household_id
