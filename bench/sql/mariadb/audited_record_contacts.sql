-- MariaDB (see audited_record_contacts.sql).
-- The audited floor records each changed contact row of a target in the
-- plugin's own change table, as the apply does (record_contact_changes.sql):
-- the masks and stamp before and after, the reasons the row may receive and
-- each device's cell state, under the floor's own batch id, in key order.
-- :keep is every reason bit but those cleared; a NULL mask with something to
-- write is written whole.
INSERT INTO cpb_contact_change (batch_id, person_id, old_cell_phone_messenger, old_work_phone_messenger, old_other_phone_messenger, old_email_messenger, old_secondary_email_messenger, old_modified_by_id, old_modified_date, new_cell_phone_messenger, new_work_phone_messenger, new_other_phone_messenger, new_email_messenger, new_secondary_email_messenger, new_modified_by_id, new_modified_date, allowed_bits, cell_phone_state, work_phone_state, other_phone_state, email_state, secondary_email_state)
SELECT :batch_id,
       c.person_id,
       c.cell_phone_messenger,
       c.work_phone_messenger,
       c.other_phone_messenger,
       c.email_messenger,
       c.secondary_email_messenger,
       c.modified_by_id,
       c.modified_date,
       IF(TRIM(c.cell_phone) <> '', (COALESCE(c.cell_phone_messenger, 0) & :keep) | :set, c.cell_phone_messenger),
       IF(TRIM(c.work_phone) <> '', (COALESCE(c.work_phone_messenger, 0) & :keep) | :set, c.work_phone_messenger),
       IF(TRIM(c.other_phone) <> '', (COALESCE(c.other_phone_messenger, 0) & :keep) | :set, c.other_phone_messenger),
       IF(TRIM(c.email) <> '', (COALESCE(c.email_messenger, 0) & :keep) | :set, c.email_messenger),
       IF(TRIM(c.secondary_email) <> '', (COALESCE(c.secondary_email_messenger, 0) & :keep) | :set, c.secondary_email_messenger),
       :user_id,
       :now,
       :allowed,
       IF(TRIM(c.cell_phone) <> '', :state_writable, :state_no_device),
       IF(TRIM(c.work_phone) <> '', :state_writable, :state_no_device),
       IF(TRIM(c.other_phone) <> '', :state_writable, :state_no_device),
       IF(TRIM(c.email) <> '', :state_writable, :state_no_device),
       IF(TRIM(c.secondary_email) <> '', :state_writable, :state_no_device)
FROM bench_audit_target t
JOIN contact c ON c.person_id = t.person_id
WHERE (TRIM(c.cell_phone) <> '' AND (c.cell_phone_messenger IS NULL OR (((c.cell_phone_messenger & :keep) | :set) <> c.cell_phone_messenger)))
   OR (TRIM(c.work_phone) <> '' AND (c.work_phone_messenger IS NULL OR (((c.work_phone_messenger & :keep) | :set) <> c.work_phone_messenger)))
   OR (TRIM(c.other_phone) <> '' AND (c.other_phone_messenger IS NULL OR (((c.other_phone_messenger & :keep) | :set) <> c.other_phone_messenger)))
   OR (TRIM(c.email) <> '' AND (c.email_messenger IS NULL OR (((c.email_messenger & :keep) | :set) <> c.email_messenger)))
   OR (TRIM(c.secondary_email) <> '' AND (c.secondary_email_messenger IS NULL OR (((c.secondary_email_messenger & :keep) | :set) <> c.secondary_email_messenger)))
ORDER BY c.person_id
