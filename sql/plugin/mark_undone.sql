UPDATE cpb_batch SET status = 'undone', undone_by_batch_id = :batch_id WHERE batch_id = :undone_batch_id
