-- 1 when the plugin's batch record exists (the plugin creates it on first open).
SELECT COUNT(*) FROM $catalog_tables t WHERE t.table_name = 'cpb_batch'
