-- The last key of the next chunk of a batch's recorded household rows.
SELECT MAX(x.household_id) FROM (
    SELECT ch.household_id FROM cpb_household_change ch
    WHERE ch.batch_id = :batch_id AND ch.household_id > :after_key
    ORDER BY ch.household_id
    LIMIT :chunk_rows) x
