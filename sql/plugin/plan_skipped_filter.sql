-- Fragment: plan row s of kind "skipped" passes the device filter and the search.
(:any_device = 1 OR {{plan_skipped_device}})
AND {{plan_search:s}}
