-- MariaDB (see mariadb/audited_count_contacts.sql).
-- The audited floor counts every asked cell of the targets' household rows in
-- one pass (see audited_count_contacts.sql: the rows, then 9 columns).
SELECT COUNT(*),
       COUNT(s.f0),
       SUM(s.f0 & 1), SUM(s.f0 & 2), SUM(s.f0 & 4), SUM(s.f0 & 8), SUM(s.f0 & 16), SUM(s.f0 & 32), SUM(s.f0 & 64), SUM(s.f0 & 128)
FROM (SELECT CASE WHEN TRIM(h.phone) <> '' THEN CASE WHEN h.phone_messenger IS NULL THEN :asked ELSE (h.phone_messenger ^ :set) & :asked END END AS f0
      FROM bench_audit_household t
      JOIN household h ON h.household_id = t.household_id
      LIMIT 18446744073709551615) s
