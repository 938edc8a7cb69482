-- Fragment: see asked.sql; PostgreSQL is told the parameters' type, which it
-- cannot infer from "|" alone when the driver sends them untyped.
(CAST(:set_$device AS BIGINT) | CAST(:clear_$device AS BIGINT))
