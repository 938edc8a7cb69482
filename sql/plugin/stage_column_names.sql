-- Fragment: the names of one device's stage columns (see stage_columns).
$device_state, $device_old, $device_new
