-- How many of the chunk's contact records are conflicts (chunk_conflict.sql):
-- one pass, so that a chunk without any (the usual one) neither groups nor deletes them.
SELECT COUNT(*) FROM cpb_contact_change ch
WHERE ch.batch_id = :batch_id AND ch.person_id > :after_key AND ch.person_id <= :last_key
  AND {{chunk_conflict:cell_phone}}
