-- Fragment: one device's state and mask as read from the host row.
{{cell_state}} AS $device_state, $mask AS $device_old
