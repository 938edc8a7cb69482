-- The bytes each plan table (cpb_plan*) takes on disk, its indexes and TOAST
-- included (pg_total_relation_size).
SELECT c.relname, pg_total_relation_size(c.oid)
FROM pg_class c
WHERE c.relkind = 'r' AND c.relname LIKE 'cpb\_plan%' AND pg_table_is_visible(c.oid)
