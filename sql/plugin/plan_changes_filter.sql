-- Fragment: plan row s of kind "changes" passes the device filter and the search.
(:any_device = 1 OR {{plan_changes_device}})
AND {{plan_search:s}}
