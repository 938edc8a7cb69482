-- The bytes each plan table (cpb_plan*) takes, its indexes included:
-- information_schema's data_length + index_length, as InnoDB counts its pages
-- (plan_storage_refresh.sql brings them up to date first).
SELECT table_name, data_length + index_length
FROM information_schema.tables
WHERE table_schema = DATABASE() AND table_name LIKE 'cpb\_plan%'
