-- The statements that bring the plugin's tables made by an older version up to
-- date, one a row, run on open after the missing tables are created. Tables
-- created in another character set (the database's default, latin1 on some
-- servers, before own_tables.sql named utf8mb4) are converted: their rows are
-- all within Latin-1, which utf8mb4 holds unchanged.
SELECT DISTINCT CONCAT('ALTER TABLE ', c.table_name, ' CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin')
FROM information_schema.columns c
WHERE c.table_schema = DATABASE() AND c.table_name LIKE 'cpb!_%' ESCAPE '!' AND c.character_set_name IS NOT NULL
  AND c.character_set_name <> 'utf8mb4'
