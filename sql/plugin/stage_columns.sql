-- Fragment: one device's columns in a stage table: its cell state before the
-- change (see cell_state), its mask before and after.
$device_state INTEGER, $device_old INTEGER, $device_new INTEGER
