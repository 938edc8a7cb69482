-- Fragment: the skipped page rows one device of plan row s makes under the device filter.
(CASE WHEN :any_device = 1 OR :only_$device = 1 THEN {{skip_rows}} ELSE 0 END)
