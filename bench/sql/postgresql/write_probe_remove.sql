DROP TRIGGER IF EXISTS bench_probe_contact ON contact;
DROP TRIGGER IF EXISTS bench_probe_household ON household;
DROP FUNCTION IF EXISTS bench_probe_count();
DROP TABLE IF EXISTS bench_write_probe;
