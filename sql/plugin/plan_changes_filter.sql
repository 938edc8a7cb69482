-- Fragment: plan row s of kind "changes" passes the device filter and the search.
(:any_device = 1 OR {{each_device:household:device_changes: OR }} OR {{each_device:contact:device_changes: OR }})
AND {{plan_search}}
