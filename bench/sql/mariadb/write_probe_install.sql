-- Counts every row written to contact or household while installed: proves
-- that a run which reports nothing to change writes nothing. A MariaDB UPDATE
-- trigger fires for every row the statement updates, its values changed or not.
CREATE TABLE IF NOT EXISTS bench_write_probe (writes INTEGER NOT NULL) ENGINE = InnoDB;
DELETE FROM bench_write_probe;
INSERT INTO bench_write_probe (writes) VALUES (0);
CREATE TRIGGER IF NOT EXISTS bench_probe_contact AFTER UPDATE ON contact FOR EACH ROW UPDATE bench_write_probe SET writes = writes + 1;
CREATE TRIGGER IF NOT EXISTS bench_probe_household AFTER UPDATE ON household FOR EACH ROW UPDATE bench_write_probe SET writes = writes + 1;
