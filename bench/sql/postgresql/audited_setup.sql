-- The audited floor's keyed target tables (see audited_setup.sql).
CREATE TEMP TABLE IF NOT EXISTS bench_audit_contact (person_id BIGINT NOT NULL PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS bench_audit_household (household_id BIGINT NOT NULL PRIMARY KEY);
DELETE FROM bench_audit_contact;
DELETE FROM bench_audit_household;
