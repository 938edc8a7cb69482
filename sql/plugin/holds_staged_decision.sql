-- Fragment: the host row still holds what the decision about this device's
-- cells read when stage (or plan) row s was made (CONTRACT 12.1): its mask,
-- and its cell state (on record, left alone by the overwrite policy) computed
-- again by the same cell_state.sql that staged it.
$mask {{same_as}} s.$device_old AND {{cell_state}} = s.$device_state
