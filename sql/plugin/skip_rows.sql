-- Fragment: how many skipped plan rows one device of stage row s makes: one
-- per fate other than written among its asked cells (tally.cpp, cell_fate).
(CASE WHEN {{asked}} = 0 OR s.$device_state IS NULL THEN 0
      WHEN s.$device_state = :state_no_device THEN 1
      ELSE (CASE WHEN ({{asked}} & (:all_reasons - s.allowed_bits)) <> 0 THEN 1 ELSE 0 END)
         + (CASE WHEN s.$device_state = :state_protected AND ({{asked}} & s.allowed_bits) <> 0 THEN 1 ELSE 0 END)
 END)
