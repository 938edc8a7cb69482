-- 1 when the plugin's table :table exists, so that an open creates only what is missing.
SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :table
