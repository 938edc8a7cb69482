-- Fragment: one device of stage row s is on record with the emergency bit on after the change.
(s.$device_state <> :state_no_device AND (COALESCE(s.$device_new, 0) & :emergency_bit) <> 0)
