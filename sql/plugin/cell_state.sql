-- Fragment: the state of one device's cells for this row, the first rule of a
-- cell's fate (Tally in tally.cpp holds the rest): not on record; left alone by
-- the overwrite policy (unset_only: the mask is set; keep_portal: a portal
-- account changed the row last); else writable. The codes are bound from
-- CellState in vocabulary.hpp.
CASE WHEN {{on_record}} = 0 THEN :state_no_device
     WHEN :unset_only = 1 AND $mask IS NOT NULL THEN :state_protected
     WHEN {{portal_protected}} = 1 THEN :state_protected
     ELSE :state_writable END
