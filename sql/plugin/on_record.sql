-- Fragment: 1 when the device's number or address is on record (not NULL, not blank).
CASE WHEN $value IS NULL OR TRIM($value) = '' THEN 0 ELSE 1 END
