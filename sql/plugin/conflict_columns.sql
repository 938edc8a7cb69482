-- Fragment: one device of a conflicting row: its value, the mask the batch
-- wrote over (old), the mask it wrote (new) and the mask the row holds now.
$value AS $device_value, ch.old_$mask_column AS $device_old, ch.new_$mask_column AS $device_new, $mask AS $device_now
