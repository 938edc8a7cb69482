-- 1 when the plugin's table :table has the column :column (see own_tables.cpp).
SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = :table AND column_name = :column
