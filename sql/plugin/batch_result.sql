SELECT b.result AS result, b.status AS status, b.options AS options FROM cpb_batch b WHERE b.batch_id = :batch_id
