-- Batches are serialised by the transaction's lock, so the next number is free.
SELECT COALESCE(MAX(batch_id), 0) + 1 FROM cpb_batch
