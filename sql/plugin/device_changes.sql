-- Fragment: plan row s is a row of the device filter's device that changes.
(:only_$device = 1 AND {{changed}})
