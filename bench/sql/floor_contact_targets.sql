-- Fragment: the floor's contact targets (on SQLite read from keyed tables:
-- sqlite/floor_contact_targets.sql).
{{inline_targets}}
