-- Statistics after seeding: what autovacuum would do soon after a bulk load.
VACUUM ANALYZE;
