-- The index that serves a search of a plan's rows on PostgreSQL (CONTRACT
-- 12.3; docs/INTEGRATION.md section 8, "Searching a large plan on
-- PostgreSQL"): the trigrams of each row's lowered name, from the pg_trgm
-- extension. The plugin does not create it: every plan pays its upkeep (at
-- 300,000 students a plan took 27.8 s with it and 21.2 s without, medians of
-- four runs). A database administrator who wants a search of a large plan to
-- take milliseconds rather than a read of every row runs these two
-- statements once, as the owner of cpb_plan_row (after the plugin's first
-- run has made it). Its expression is the search's
-- (sql/plugin/postgresql/plan_name_contains.sql): change both or neither.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS cpb_plan_row_search ON cpb_plan_row USING gin (LOWER(sort_name COLLATE "C") gin_trgm_ops);
