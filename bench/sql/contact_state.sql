-- What a batch may change on a contact row, and what it must keep (the text
-- masks), for comparing two states of the table; :lo..:hi narrows it.
SELECT person_id,
       cell_phone_messenger, work_phone_messenger, other_phone_messenger, email_messenger, secondary_email_messenger,
       cell_phone_text_messenger, work_phone_text_messenger, other_phone_text_messenger, modified_by_id
FROM contact
WHERE person_id BETWEEN :lo AND :hi
ORDER BY person_id
