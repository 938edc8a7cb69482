-- The masks before a change, to count afterwards which cells changed.
CREATE TEMP TABLE bench_before_contact AS
SELECT person_id, cell_phone_messenger, work_phone_messenger, other_phone_messenger, email_messenger, secondary_email_messenger
FROM contact;
CREATE TEMP TABLE bench_before_household AS
SELECT household_id, phone_messenger FROM household;
