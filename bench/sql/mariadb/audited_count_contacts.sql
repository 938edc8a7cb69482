-- MariaDB (see audited_count_contacts.sql): ^ is its XOR; the flags are
-- computed once per row in a derived table kept apart by its LIMIT (which
-- MariaDB materialises): at 2,000 students 0.6x the time of one pass that
-- evaluates each flag in every sum.
-- The audited floor counts every asked cell of the targets' contact rows in
-- one pass (a target without a contact row has no device on record). For each
-- device: the rows on record, then for each reason in kReasons' order the sum
-- of (f & bit), f being the asked bits that change (all of them when the mask
-- is NULL, written whole); the benchmark divides each sum by its bit. Every
-- asked bit is set or cleared, so the bits that change are (mask XOR :set) &
-- :asked. The flags are computed once per row in a subquery SQLite does not
-- flatten (LIMIT 18446744073709551615). Columns are read by position: the rows, then 9 per device.
SELECT COUNT(*),
       COUNT(s.f0),
       SUM(s.f0 & 1), SUM(s.f0 & 2), SUM(s.f0 & 4), SUM(s.f0 & 8), SUM(s.f0 & 16), SUM(s.f0 & 32), SUM(s.f0 & 64), SUM(s.f0 & 128),
       COUNT(s.f1),
       SUM(s.f1 & 1), SUM(s.f1 & 2), SUM(s.f1 & 4), SUM(s.f1 & 8), SUM(s.f1 & 16), SUM(s.f1 & 32), SUM(s.f1 & 64), SUM(s.f1 & 128),
       COUNT(s.f2),
       SUM(s.f2 & 1), SUM(s.f2 & 2), SUM(s.f2 & 4), SUM(s.f2 & 8), SUM(s.f2 & 16), SUM(s.f2 & 32), SUM(s.f2 & 64), SUM(s.f2 & 128),
       COUNT(s.f3),
       SUM(s.f3 & 1), SUM(s.f3 & 2), SUM(s.f3 & 4), SUM(s.f3 & 8), SUM(s.f3 & 16), SUM(s.f3 & 32), SUM(s.f3 & 64), SUM(s.f3 & 128),
       COUNT(s.f4),
       SUM(s.f4 & 1), SUM(s.f4 & 2), SUM(s.f4 & 4), SUM(s.f4 & 8), SUM(s.f4 & 16), SUM(s.f4 & 32), SUM(s.f4 & 64), SUM(s.f4 & 128)
FROM (SELECT CASE WHEN TRIM(c.cell_phone) <> '' THEN CASE WHEN c.cell_phone_messenger IS NULL THEN :asked ELSE (c.cell_phone_messenger ^ :set) & :asked END END AS f0,
             CASE WHEN TRIM(c.work_phone) <> '' THEN CASE WHEN c.work_phone_messenger IS NULL THEN :asked ELSE (c.work_phone_messenger ^ :set) & :asked END END AS f1,
             CASE WHEN TRIM(c.other_phone) <> '' THEN CASE WHEN c.other_phone_messenger IS NULL THEN :asked ELSE (c.other_phone_messenger ^ :set) & :asked END END AS f2,
             CASE WHEN TRIM(c.email) <> '' THEN CASE WHEN c.email_messenger IS NULL THEN :asked ELSE (c.email_messenger ^ :set) & :asked END END AS f3,
             CASE WHEN TRIM(c.secondary_email) <> '' THEN CASE WHEN c.secondary_email_messenger IS NULL THEN :asked ELSE (c.secondary_email_messenger ^ :set) & :asked END END AS f4
      FROM bench_audit_target t
      LEFT JOIN contact c ON c.person_id = t.person_id
      LIMIT 18446744073709551615) s
