-- Fragment: the device's mask after the change, from the stage's state and old
-- mask (s.$device_state, s.$device_old). Only a writable cell of a reason the
-- row may receive changes; a row with nothing to write keeps its mask, NULL
-- included, and a NULL mask with something to write is written whole (CONTRACT
-- 9.4: Off writes the bit as 0). :all_reasons - x is the complement within the reason
-- bits (~ is 64-bit unsigned on some engines).
CASE WHEN s.$device_state = :state_writable AND ((:set_$device + :clear_$device) & s.allowed_bits) <> 0
     THEN (COALESCE(s.$device_old, 0) & (:all_reasons - (:clear_$device & s.allowed_bits))) | (:set_$device & s.allowed_bits)
     ELSE s.$device_old
END
