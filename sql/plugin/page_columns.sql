-- Fragment: one device of a plan row as a page lists it.
$value AS $device_value, r.$device_state AS $device_state, r.$device_old AS $device_old, r.$device_new AS $device_new
