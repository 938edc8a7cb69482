-- A chunked batch's result and counts less the cells of the rows a chunk left
-- alone as conflicts (CONTRACT 12.2): the history says what was written.
UPDATE cpb_batch SET result = :result, updated = :updated, unchanged = :unchanged WHERE batch_id = :batch_id
