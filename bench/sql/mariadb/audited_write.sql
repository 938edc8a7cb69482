-- MariaDB: the audited floor's write (audited_write.sql) as a multi-table
-- UPDATE ... JOIN. No column of a change table has a host column's name, so
-- the assignments need no alias.
UPDATE $table
JOIN cpb_$table_change ch ON ch.batch_id = :batch_id AND ch.$key = $table.$key
SET {{each_device:$table:plugin/set_new}},
    modified_by_id = ch.new_modified_by_id,
    modified_date = ch.new_modified_date
