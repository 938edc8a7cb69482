-- Fragment: 1 when the device's number or address is on record (not NULL, not
-- blank). No '' literal: MariaDB's EMPTY_STRING_IS_NULL reads it as NULL, and
-- its ORACLE mode's TRIM gives NULL for a blank value (docs/RELIABILITY.md).
CASE WHEN COALESCE(LENGTH(TRIM($value)), 0) = 0 THEN 0 ELSE 1 END
