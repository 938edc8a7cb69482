-- Fragment: plan row s of kind "skipped" passes the device filter and the search.
(:any_device = 1 OR {{each_device:household:device_skips: OR }} OR {{each_device:contact:device_skips: OR }})
AND {{plan_search}}
