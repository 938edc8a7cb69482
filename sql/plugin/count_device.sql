-- Fragment: one device's rows by state, and per reason the cells that change,
-- over a stage table s. Tally::add_device (tally.cpp) turns these into each
-- asked cell's fate; the columns are read by name.
SUM(CASE WHEN s.$device_state = :state_no_device THEN 1 ELSE 0 END) AS $device_no_device,
SUM(CASE WHEN s.$device_state = :state_protected THEN 1 ELSE 0 END) AS $device_protected,
SUM(CASE WHEN s.$device_state = :state_protected AND (s.allowed_bits & :staff_bit) <> 0 THEN 1 ELSE 0 END) AS $device_protected_staff,
SUM(CASE WHEN s.$device_state = :state_writable THEN 1 ELSE 0 END) AS $device_writable,
SUM(CASE WHEN s.$device_state = :state_writable AND (s.allowed_bits & :staff_bit) <> 0 THEN 1 ELSE 0 END) AS $device_writable_staff,
{{each_reason:count_updated}}
