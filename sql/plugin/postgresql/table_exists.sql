-- 1 when the plugin's table :table exists on the search path, so that an open
-- creates only what is missing (and an account without CREATE can open).
SELECT CASE WHEN to_regclass(CAST(:table AS TEXT)) IS NULL THEN 0 ELSE 1 END
