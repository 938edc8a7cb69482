-- The row-by-row baseline reads the target contact rows (the same targets as
-- the floor) with their devices and masks, then updates them one by one.
SELECT c.person_id,
       c.cell_phone, c.work_phone, c.other_phone, c.email, c.secondary_email,
       c.cell_phone_messenger, c.work_phone_messenger, c.other_phone_messenger, c.email_messenger, c.secondary_email_messenger
FROM contact c
WHERE c.person_id IN ({{inline_targets}})
ORDER BY c.person_id
