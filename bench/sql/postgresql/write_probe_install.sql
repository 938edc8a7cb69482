-- Counts every row written to contact or household while installed: proves
-- that a run which reports nothing to change writes nothing.
CREATE TABLE IF NOT EXISTS bench_write_probe (writes INTEGER NOT NULL);
DELETE FROM bench_write_probe;
INSERT INTO bench_write_probe (writes) VALUES (0);
CREATE OR REPLACE FUNCTION bench_probe_count() RETURNS trigger LANGUAGE plpgsql AS
'BEGIN UPDATE bench_write_probe SET writes = writes + 1; RETURN NULL; END';
DROP TRIGGER IF EXISTS bench_probe_contact ON contact;
CREATE TRIGGER bench_probe_contact AFTER UPDATE ON contact FOR EACH ROW EXECUTE FUNCTION bench_probe_count();
DROP TRIGGER IF EXISTS bench_probe_household ON household;
CREATE TRIGGER bench_probe_household AFTER UPDATE ON household FOR EACH ROW EXECUTE FUNCTION bench_probe_count();
