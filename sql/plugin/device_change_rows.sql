-- Fragment: the changed page rows one device of plan row s makes under the device filter.
(CASE WHEN (:any_device = 1 OR :only_$device = 1) AND {{changed}} THEN 1 ELSE 0 END)
