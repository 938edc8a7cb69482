-- Fragment: SQLite's floor reads its households from the keyed table
-- floor_resolve.sql fills (sqlite/floor_contact_targets.sql says why).
SELECT t.household_id FROM bench_audit_household t
