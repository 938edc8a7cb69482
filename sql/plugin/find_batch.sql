SELECT b.tool, b.status, b.undone_by_batch_id FROM cpb_batch b WHERE b.batch_id = :batch_id
