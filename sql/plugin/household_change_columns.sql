-- Fragment: the columns of cpb_household_change, in the order the record and undo statements fill them.
batch_id, household_id, old_phone_messenger, old_modified_by_id, old_modified_date,
new_phone_messenger, new_modified_by_id, new_modified_date,
allowed_bits, {{state_name:household_phone}}
