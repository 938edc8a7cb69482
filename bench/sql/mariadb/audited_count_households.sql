-- The audited floor counts every asked cell of the targets' household rows in
-- one pass (see audited_count_contacts.sql: the rows, then 9 columns).
SELECT COUNT(*),
       COUNT(CASE WHEN TRIM(h.phone) <> '' THEN CASE WHEN h.phone_messenger IS NULL THEN :asked ELSE (h.phone_messenger ^ :set) & :asked END END),
       SUM((CASE WHEN TRIM(h.phone) <> '' THEN CASE WHEN h.phone_messenger IS NULL THEN :asked ELSE (h.phone_messenger ^ :set) & :asked END END) & 1),
       SUM((CASE WHEN TRIM(h.phone) <> '' THEN CASE WHEN h.phone_messenger IS NULL THEN :asked ELSE (h.phone_messenger ^ :set) & :asked END END) & 2),
       SUM((CASE WHEN TRIM(h.phone) <> '' THEN CASE WHEN h.phone_messenger IS NULL THEN :asked ELSE (h.phone_messenger ^ :set) & :asked END END) & 4),
       SUM((CASE WHEN TRIM(h.phone) <> '' THEN CASE WHEN h.phone_messenger IS NULL THEN :asked ELSE (h.phone_messenger ^ :set) & :asked END END) & 8),
       SUM((CASE WHEN TRIM(h.phone) <> '' THEN CASE WHEN h.phone_messenger IS NULL THEN :asked ELSE (h.phone_messenger ^ :set) & :asked END END) & 16),
       SUM((CASE WHEN TRIM(h.phone) <> '' THEN CASE WHEN h.phone_messenger IS NULL THEN :asked ELSE (h.phone_messenger ^ :set) & :asked END END) & 32),
       SUM((CASE WHEN TRIM(h.phone) <> '' THEN CASE WHEN h.phone_messenger IS NULL THEN :asked ELSE (h.phone_messenger ^ :set) & :asked END END) & 64),
       SUM((CASE WHEN TRIM(h.phone) <> '' THEN CASE WHEN h.phone_messenger IS NULL THEN :asked ELSE (h.phone_messenger ^ :set) & :asked END END) & 128)
FROM bench_audit_household t
JOIN household h ON h.household_id = t.household_id
