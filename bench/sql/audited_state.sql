-- Fragment: one device's cell state as the change record keeps it (CellState).
CASE WHEN {{audited_on_record}} THEN :state_writable ELSE :state_no_device END
