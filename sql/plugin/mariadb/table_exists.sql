-- 1 when the plugin's table :table exists in the current database, so that an
-- open creates only what is missing (and an account without CREATE can open).
SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = :table
