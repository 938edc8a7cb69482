SELECT b.result, b.status FROM cpb_batch b WHERE b.batch_id = :batch_id
