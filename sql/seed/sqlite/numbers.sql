-- The numbers 1..:count the district is made from, each with the family a
-- student of that number belongs to (integer division differs per engine).
DROP TABLE IF EXISTS temp.seed_n;
CREATE TEMP TABLE seed_n (i INTEGER PRIMARY KEY, family INTEGER NOT NULL);
INSERT INTO seed_n (i, family)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
SELECT i, (i - 1) * 5 / 6 + 1 FROM n;
