-- Fragment: the cells of one device and reason whose bit the change writes: a
-- writable cell the row may receive, whose bit differs or whose mask was unset.
SUM(CASE WHEN s.$device_state = :state_writable AND (s.allowed_bits & $bit) <> 0
          AND (s.$device_old IS NULL OR (s.$device_old & $bit) <> (s.$device_new & $bit)) THEN 1 ELSE 0 END) AS $device_updated_$reason
