-- 1 when the plugin's table :table has the column :column (own_tables.cpp adds the columns a later version added).
SELECT COUNT(*) FROM pragma_table_info(:table) WHERE name = :column
