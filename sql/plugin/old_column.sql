-- Fragment: one device's column of the mask before, in a change record.
old_$mask_column
