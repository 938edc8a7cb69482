-- The audited floor counts every asked cell of the targets' contact rows in
-- one pass, no per-cell rows and no grouping (a target without a contact row
-- has no device on record). Columns are read by position: the rows, then per
-- device its rows on record and a sum per reason (audited_device_sums.sql).
-- Each device's changing bits are computed once per row, in a subquery the
-- plugin's keep_apart fragment keeps from being merged into the sums (MariaDB
-- materialises it: at 2,000 students 0.6x the time of a flat pass that
-- evaluates them in every sum).
SELECT COUNT(*), {{each_device:contact:audited_device_sums}}
FROM (SELECT {{each_device:contact:audited_changing}}
      FROM bench_audit_contact t
      LEFT JOIN contact c ON c.person_id = t.person_id
      {{plugin/keep_apart}}) s
