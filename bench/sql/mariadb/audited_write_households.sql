-- MariaDB: a multi-table UPDATE ... JOIN (see audited_write_contacts.sql).
-- The audited floor writes the host rows from its record, in one statement.
UPDATE household x
JOIN cpb_household_change ch ON ch.batch_id = :batch_id AND ch.household_id = x.household_id
SET x.phone_messenger = ch.new_phone_messenger,
    x.modified_by_id = ch.new_modified_by_id,
    x.modified_date = ch.new_modified_date
