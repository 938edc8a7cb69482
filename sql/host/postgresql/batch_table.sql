-- 1 when the plugin's batch record exists (the plugin creates it on first open).
SELECT CASE WHEN to_regclass('cpb_batch') IS NULL THEN 0 ELSE 1 END
