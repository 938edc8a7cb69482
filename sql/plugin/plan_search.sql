-- Fragment: plan row $row matches the search (CONTRACT 12.3): its name
-- contains the text whatever the case (plan_name_contains, the engine's), or
-- its id is :search_id (the search text when it is all digits; else no id).
-- Both read only the page index's columns, so rows that fail are passed over
-- without reading them. The id is looked up as the key (plan, kind, id) of
-- either kind: a bare "row_id =" is no key, and PostgreSQL joining it to a
-- search index's rows scanned the plan's whole key for it (130 ms at 300,000
-- students, for an id no row has).
(:any_name = 1 OR {{plan_name_contains}} OR ($row.row_kind IN (0, 1) AND $row.row_id = :search_id))
