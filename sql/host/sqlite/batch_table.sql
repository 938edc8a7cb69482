-- 1 when the plugin's batch record exists (the plugin creates it on first open).
SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'cpb_batch'
