-- The rows a batch changed, contacts then households, with each device's mask
-- before and after in the columns old_<mask column> and new_<mask column> (the
-- mask columns of describe's devices; NULL where the row's table has none).
SELECT 'contact' AS row_table, ch.person_id AS row_id, COALESCE(p.first_name || ' ' || p.last_name, '') AS row_name,
       NULL AS old_phone_messenger, NULL AS new_phone_messenger,
       ch.old_cell_phone_messenger AS old_cell_phone_messenger, ch.new_cell_phone_messenger AS new_cell_phone_messenger,
       ch.old_work_phone_messenger AS old_work_phone_messenger, ch.new_work_phone_messenger AS new_work_phone_messenger,
       ch.old_other_phone_messenger AS old_other_phone_messenger, ch.new_other_phone_messenger AS new_other_phone_messenger,
       ch.old_email_messenger AS old_email_messenger, ch.new_email_messenger AS new_email_messenger,
       ch.old_secondary_email_messenger AS old_secondary_email_messenger,
       ch.new_secondary_email_messenger AS new_secondary_email_messenger
FROM cpb_contact_change ch
LEFT JOIN person p ON p.person_id = ch.person_id
WHERE ch.batch_id = :batch_id
UNION ALL
SELECT 'household', ch.household_id, COALESCE(h.name, ''),
       ch.old_phone_messenger, ch.new_phone_messenger,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
FROM cpb_household_change ch
LEFT JOIN household h ON h.household_id = ch.household_id
WHERE ch.batch_id = :batch_id
ORDER BY 1, 2
