-- The audited floor's keyed target tables (see audited_setup.sql). MariaDB
-- keeps a temporary table past a rollback: it is emptied here.
CREATE TEMPORARY TABLE IF NOT EXISTS bench_audit_contact (person_id BIGINT NOT NULL PRIMARY KEY) ENGINE = InnoDB;
CREATE TEMPORARY TABLE IF NOT EXISTS bench_audit_household (household_id BIGINT NOT NULL PRIMARY KEY) ENGINE = InnoDB;
DELETE FROM bench_audit_contact;
DELETE FROM bench_audit_household;
