-- One row whose lock serialises batches (begin.sql), since LOCK TABLES commits.
CREATE TABLE IF NOT EXISTS cpb_batch_lock (
    lock_id INTEGER PRIMARY KEY
)$own_table_options;
INSERT IGNORE INTO cpb_batch_lock (lock_id) VALUES (1);
