-- The audited floor writes one host table's rows ($table) from its record, in one statement.
UPDATE $table
SET {{each_device:$table:plugin/set_new}},
    modified_by_id = ch.new_modified_by_id,
    modified_date = ch.new_modified_date
FROM cpb_$table_change ch
WHERE ch.batch_id = :batch_id
  AND $table.$key = ch.$key
