-- Fragment: one device's column of the mask after, in a change record.
new_$mask_column
