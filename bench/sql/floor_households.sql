-- The floor for household phones: the households in which a target is a member
-- on :date, whose phone is on record and whose mask changes a bit.
UPDATE household
SET phone_messenger = (COALESCE(phone_messenger, 0) & ~:clear) | :set,
    modified_by_id = :user_id,
    modified_date = :now
WHERE phone IS NOT NULL AND TRIM(phone) <> ''
  AND ((COALESCE(phone_messenger, 0) & ~:clear) | :set) <> COALESCE(phone_messenger, 0)
  AND household_id IN ({{floor_household_targets}})
