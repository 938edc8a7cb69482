-- Fragment: one device's stage values, from the inner query's state and old mask.
s.$device_state, s.$device_old, {{new_mask}}
