-- The audited floor counts every asked cell of the target households' rows in
-- one pass (see audited_count_contacts.sql).
SELECT COUNT(*), {{each_device:household:audited_device_sums}}
FROM (SELECT {{each_device:household:audited_changing}}
      FROM bench_audit_household t
      JOIN household h ON h.household_id = t.household_id
      {{plugin/keep_apart}}) s
