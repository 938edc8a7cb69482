-- MariaDB (see audited_record_contacts.sql).
-- The audited floor records each changed household row (see audited_record_contacts.sql).
INSERT INTO cpb_household_change (batch_id, household_id, old_phone_messenger, old_modified_by_id, old_modified_date, new_phone_messenger, new_modified_by_id, new_modified_date, allowed_bits, household_phone_state)
SELECT :batch_id,
       h.household_id,
       h.phone_messenger,
       h.modified_by_id,
       h.modified_date,
       IF(TRIM(h.phone) <> '', (COALESCE(h.phone_messenger, 0) & :keep) | :set, h.phone_messenger),
       :user_id,
       :now,
       :allowed,
       IF(TRIM(h.phone) <> '', :state_writable, :state_no_device)
FROM bench_audit_household t
JOIN household h ON h.household_id = t.household_id
WHERE (TRIM(h.phone) <> '' AND (h.phone_messenger IS NULL OR (((h.phone_messenger & :keep) | :set) <> h.phone_messenger)))
ORDER BY h.household_id
