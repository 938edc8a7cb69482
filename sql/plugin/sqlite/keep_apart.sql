-- Fragment: ends a subquery so that it is not merged into the query around it
-- (SQLite does not flatten a subquery with a LIMIT into an aggregate).
LIMIT -1
