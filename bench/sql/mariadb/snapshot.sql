-- The masks before a change (see snapshot.sql). MariaDB keeps a temporary
-- table past a rollback, so an earlier snapshot is dropped first; keyed for
-- the join of changed_cells.sql.
DROP TEMPORARY TABLE IF EXISTS bench_before_contact;
DROP TEMPORARY TABLE IF EXISTS bench_before_household;
CREATE TEMPORARY TABLE bench_before_contact (PRIMARY KEY (person_id)) ENGINE = InnoDB AS
SELECT person_id, cell_phone_messenger, work_phone_messenger, other_phone_messenger, email_messenger, secondary_email_messenger
FROM contact;
CREATE TEMPORARY TABLE bench_before_household (PRIMARY KEY (household_id)) ENGINE = InnoDB AS
SELECT household_id, phone_messenger FROM household;
