-- Fragment: the host row still holds what the decision about this device's
-- cells read when change record ch was made (see holds_staged_decision). A
-- record of version 1.1 has no state and is held to its mask only.
$mask {{same_as}} ch.old_$mask_column AND (ch.$device_state IS NULL OR {{cell_state}} = ch.$device_state)
