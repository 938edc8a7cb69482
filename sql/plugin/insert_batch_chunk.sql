INSERT INTO cpb_batch_chunk (batch_id, chunk_rows, contact_after, household_after, chunks, written, conflicts)
VALUES (:batch_id, :chunk_rows, :no_key, :no_key, 0, 0, 0)
