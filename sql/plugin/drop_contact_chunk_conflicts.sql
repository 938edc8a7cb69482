-- The chunk's conflicting records leave the record before the chunk is written:
-- the batch does not change those rows, and an undo must not either.
DELETE FROM cpb_contact_change AS ch
WHERE ch.batch_id = :batch_id AND ch.person_id > :after_key AND ch.person_id <= :last_key
  AND {{chunk_conflict:cell_phone}}
