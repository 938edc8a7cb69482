-- Prepared once, executed once per changed contact row.
UPDATE contact
SET cell_phone_messenger = :cell_phone_messenger,
    work_phone_messenger = :work_phone_messenger,
    other_phone_messenger = :other_phone_messenger,
    email_messenger = :email_messenger,
    secondary_email_messenger = :secondary_email_messenger,
    modified_by_id = :user_id,
    modified_date = :now
WHERE person_id = :person_id
