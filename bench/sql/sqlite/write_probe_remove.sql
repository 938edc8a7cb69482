DROP TRIGGER IF EXISTS bench_probe_contact;
DROP TRIGGER IF EXISTS bench_probe_household;
DROP TABLE IF EXISTS bench_write_probe;
