-- Fragment: SQLite's floor reads its contact targets from the keyed table
-- floor_resolve.sql fills. Resolved inline, SQLite looked the targets up
-- row by row: at 300,000 students the inline floor took 4.5 s and its re-run
-- 4.0 s, more than the audited floor (4.0 s), which resolves into keyed
-- tables first.
SELECT t.person_id FROM bench_audit_contact t
