-- 1 when the plugin's table :table on the search path has the column :column (see own_tables.cpp).
SELECT COUNT(*) FROM pg_attribute
WHERE attrelid = to_regclass(CAST(:table AS TEXT)) AND attname = CAST(:column AS TEXT) AND attnum > 0 AND NOT attisdropped
