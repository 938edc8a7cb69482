-- Fragment: 1 when the device's cells may be written: on record, the row not
-- protected by keep_portal, the mask not protected by unset_only.
CASE WHEN $value IS NULL OR TRIM($value) = '' THEN 0
     WHEN :unset_only = 1 AND $mask IS NOT NULL THEN 0
     WHEN {{portal_protected}} = 1 THEN 0
     ELSE 1 END
