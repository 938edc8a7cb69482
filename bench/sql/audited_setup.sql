-- The audited floor's keyed target tables (not timed): created when missing,
-- emptied, in the transaction the floor then rolls back.
CREATE TEMP TABLE IF NOT EXISTS bench_audit_contact (person_id INTEGER NOT NULL PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS bench_audit_household (household_id INTEGER NOT NULL PRIMARY KEY);
DELETE FROM bench_audit_contact;
DELETE FROM bench_audit_household;
