-- Fragment: ends a subquery so that it is not merged into the query around it
-- (MariaDB merges no derived table with a LIMIT; LIMIT -1 and OFFSET 0 are errors).
LIMIT 18446744073709551615
