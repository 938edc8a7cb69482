SELECT b.batch_id, b.finished_at, COALESCE(u.username, 'user ' || b.user_id), b.action, COALESCE(b.mode, ''),
       b.persons, b.households, b.updated, b.unchanged, b.status, COALESCE(b.undone_batch_id, 0), COALESCE(b.undone_by_batch_id, 0)
FROM cpb_batch b
LEFT JOIN user_account u ON u.user_id = b.user_id
ORDER BY b.batch_id
