-- Fragment: one device of a plan row s as a page lists it.
$value AS $device_value, s.$device_state AS $device_state, s.$device_old AS $device_old, s.$device_new AS $device_new
