-- Fragment: ends a subquery so that it is not merged into the query around it.
OFFSET 0
