-- 1 when the plugin's batch record exists (the plugin creates it on first open).
SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'cpb_batch'
