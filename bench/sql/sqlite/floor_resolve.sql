-- SQLite: the floor (and its re-run) resolves its targets once, into the
-- audited floor's keyed tables, by the audited floor's own statements, before
-- its UPDATEs read them (sqlite/floor_contact_targets.sql). Timed with the floor.
{{audited_targets}};
{{audited_households}};
