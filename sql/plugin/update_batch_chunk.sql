UPDATE cpb_batch_chunk
SET contact_after = :contact_after, household_after = :household_after, chunks = chunks + 1,
    written = written + :written, conflicts = conflicts + :conflicts
WHERE batch_id = :batch_id
