-- Fragment: plan row s has skipped cells of the device filter's device.
(:only_$device = 1 AND {{skip_rows}} > 0)
