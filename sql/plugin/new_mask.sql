-- Fragment: the device's mask after the change. Only an eligible cell changes
-- (device on record, policy allows it, reason allowed for the target); a mask
-- whose bits do not change keeps its value, NULL included.
CASE WHEN $value IS NULL OR TRIM($value) = ''
          OR (:unset_only = 1 AND $mask IS NOT NULL)
          OR ((COALESCE($mask, 0) & ~(:clear_$device & t.allowed_bits)) | (:set_$device & t.allowed_bits)) = COALESCE($mask, 0)
     THEN $mask
     ELSE (COALESCE($mask, 0) & ~(:clear_$device & t.allowed_bits)) | (:set_$device & t.allowed_bits)
END
