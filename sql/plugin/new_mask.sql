-- Fragment: the device's mask after the change. Only a writable cell changes
-- (see cell_state), and only the reasons allowed for the target; a mask whose
-- bits do not change keeps its value, NULL included.
CASE WHEN {{cell_state}} >= 256
          OR ((COALESCE($mask, 0) & ~(:clear_$device & t.allowed_bits)) | (:set_$device & t.allowed_bits)) = COALESCE($mask, 0)
     THEN $mask
     ELSE (COALESCE($mask, 0) & ~(:clear_$device & t.allowed_bits)) | (:set_$device & t.allowed_bits)
END
