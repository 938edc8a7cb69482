-- The audited floor records each changed household row (see audited_record_contacts.sql).
INSERT INTO cpb_household_change (batch_id, household_id, old_phone_messenger, old_modified_by_id, old_modified_date, new_phone_messenger, new_modified_by_id, new_modified_date, allowed_bits, household_phone_state)
SELECT :batch_id,
       h.household_id,
       h.phone_messenger,
       h.modified_by_id,
       h.modified_date,
       CASE WHEN TRIM(h.phone) <> '' THEN (COALESCE(h.phone_messenger, 0) & :keep) | :set ELSE h.phone_messenger END,
       :user_id,
       :now,
       :allowed,
       CASE WHEN TRIM(h.phone) <> '' THEN :state_writable ELSE :state_no_device END
FROM bench_audit_household t
JOIN household h ON h.household_id = t.household_id
WHERE (TRIM(h.phone) <> '' AND (h.phone_messenger IS NULL OR (((h.phone_messenger & :keep) | :set) <> h.phone_messenger)))
ORDER BY h.household_id
