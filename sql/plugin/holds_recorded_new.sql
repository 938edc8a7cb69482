-- Fragment: host row c holds the mask the change record being checked wrote.
c.$mask_column {{same_as}} cpb_contact_change.new_$mask_column
