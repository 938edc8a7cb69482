-- Removes the write probe of write_probe_install.sql (SQLite, MariaDB; PostgreSQL has its own).
DROP TRIGGER IF EXISTS bench_probe_contact;
DROP TRIGGER IF EXISTS bench_probe_household;
DROP TABLE IF EXISTS bench_write_probe;
