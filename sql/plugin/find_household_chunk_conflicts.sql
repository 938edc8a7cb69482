-- See find_contact_chunk_conflicts.
SELECT COUNT(*) FROM cpb_household_change ch
WHERE ch.batch_id = :batch_id AND ch.household_id > :after_key AND ch.household_id <= :last_key
  AND {{chunk_conflict:household_phone}}
