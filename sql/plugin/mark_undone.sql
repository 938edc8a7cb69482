-- The undone batch's status after an undo: undone, or partially_undone while rows stay in conflict.
UPDATE cpb_batch SET status = :status, undone_by_batch_id = :batch_id WHERE batch_id = :undone_batch_id
