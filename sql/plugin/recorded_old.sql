-- Fragment: the mask of one device before the recorded batch (change record ch).
ch.old_$mask_column
