DROP TABLE IF EXISTS pg_temp.seed_n;
CREATE TEMP TABLE seed_n (i BIGINT PRIMARY KEY);
INSERT INTO seed_n (i) SELECT generate_series(1, :count);
ANALYZE seed_n;
