SELECT b.result, b.status, b.options FROM cpb_batch b WHERE b.batch_id = :batch_id
