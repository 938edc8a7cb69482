-- The numbers 1..:count the district is made from, each with the family a
-- student of that number belongs to (integer division differs per engine).
DROP TABLE IF EXISTS pg_temp.seed_n;
CREATE TEMP TABLE seed_n (i BIGINT PRIMARY KEY, family BIGINT NOT NULL);
INSERT INTO seed_n (i, family) SELECT i, (i - 1) * 5 / 6 + 1 FROM generate_series(1, :count) AS g(i);
ANALYZE seed_n;
