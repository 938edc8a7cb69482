-- Counts every row written to contact or household while installed: proves
-- that a run which reports nothing to change writes nothing. (Statements end
-- at a ';' that ends a line; a trigger's inner ';' does not.)
CREATE TABLE IF NOT EXISTS bench_write_probe (writes INTEGER NOT NULL);
DELETE FROM bench_write_probe;
INSERT INTO bench_write_probe (writes) VALUES (0);
CREATE TRIGGER IF NOT EXISTS bench_probe_contact AFTER UPDATE ON contact BEGIN UPDATE bench_write_probe SET writes = writes + 1; END;
CREATE TRIGGER IF NOT EXISTS bench_probe_household AFTER UPDATE ON household BEGIN UPDATE bench_write_probe SET writes = writes + 1; END;
