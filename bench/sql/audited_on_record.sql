-- Fragment: the device's number or address is on record (neither NULL nor blank).
TRIM($value) <> ''
