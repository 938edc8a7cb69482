SELECT k.chunk_rows, k.contact_after, k.household_after, k.chunks, k.written, k.conflicts,
       (SELECT COUNT(*) FROM cpb_contact_change ch WHERE ch.batch_id = k.batch_id) +
       (SELECT COUNT(*) FROM cpb_household_change ch WHERE ch.batch_id = k.batch_id) AS recorded
FROM cpb_batch_chunk k WHERE k.batch_id = :batch_id
