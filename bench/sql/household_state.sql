SELECT household_id, phone_messenger, phone_text_messenger, modified_by_id
FROM household
ORDER BY household_id
