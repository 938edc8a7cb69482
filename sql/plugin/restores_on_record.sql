-- Fragment: an undo writes this device (change record ch) only while it is on
-- record: a device the batch did not change is left as it is either way.
(ch.old_$mask_column {{same_as}} ch.new_$mask_column OR {{on_record}} = 1)
