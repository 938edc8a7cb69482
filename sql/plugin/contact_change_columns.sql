-- Fragment: the columns of cpb_contact_change, in the order the record and undo statements fill them.
batch_id, person_id,
{{each_device:contact:old_column}}, old_modified_by_id, old_modified_date,
{{each_device:contact:new_column}}, new_modified_by_id, new_modified_date,
allowed_bits, {{each_device:contact:state_name}}
