-- The numbers 1..:count the district is made from, each with the family a
-- student of that number belongs to (MariaDB's / is exact: DIV).
DROP TEMPORARY TABLE IF EXISTS seed_n;
CREATE TEMPORARY TABLE seed_n (i BIGINT PRIMARY KEY, family BIGINT NOT NULL) ENGINE = InnoDB;
-- A recursive CTE stops at max_recursive_iterations (1000 by default).
SET SESSION max_recursive_iterations = :count + 1;
INSERT INTO seed_n (i, family)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
SELECT i, (i - 1) * 5 DIV 6 + 1 FROM n;
