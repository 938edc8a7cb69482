-- Fragment: the columns of cpb_contact_change, in the order the stage and undo statements fill them.
batch_id, person_id,
old_cell_phone_messenger, old_work_phone_messenger, old_other_phone_messenger,
old_email_messenger, old_secondary_email_messenger, old_modified_by_id, old_modified_date,
new_cell_phone_messenger, new_work_phone_messenger, new_other_phone_messenger,
new_email_messenger, new_secondary_email_messenger, new_modified_by_id, new_modified_date
