-- The last key of the next chunk of a batch's recorded contact rows.
SELECT MAX(x.person_id) FROM (
    SELECT ch.person_id FROM cpb_contact_change ch
    WHERE ch.batch_id = :batch_id AND ch.person_id > :after_key
    ORDER BY ch.person_id
    LIMIT :chunk_rows) x
