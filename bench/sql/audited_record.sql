-- The audited floor records each changed row of one host table ($table, read
-- for one of its devices) in the plugin's own change table, with every column
-- the apply fills (record_contact_changes.sql, record_household_changes.sql):
-- the masks and stamp before and after, the reasons the row may receive and
-- each device's cell state, under the floor's own batch id, in key order.
INSERT INTO cpb_$table_change ({{plugin/$table_change_columns}})
SELECT :batch_id, $row.$key,
       {{each_device:$table:audited_old}}, $row.modified_by_id, $row.modified_date,
       {{each_device:$table:audited_new}}, :user_id, :now,
       :allowed, {{each_device:$table:audited_state}}
FROM bench_audit_$table t
JOIN $table $row ON $row.$key = t.$key
WHERE {{each_device:$table:audited_changed: OR }}
ORDER BY $row.$key
