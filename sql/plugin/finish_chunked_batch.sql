UPDATE cpb_batch SET status = 'applied', result = :result, finished_at = :now WHERE batch_id = :batch_id
