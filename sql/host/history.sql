SELECT b.batch_id AS batch_id, b.finished_at AS finished_at, COALESCE(u.username, 'user ' || b.user_id) AS username,
       b.action AS action, COALESCE(b.mode, '') AS mode, b.persons AS persons, b.households AS households,
       b.updated AS updated, b.unchanged AS unchanged, b.status AS status,
       COALESCE(b.undone_batch_id, 0) AS undone_batch_id, COALESCE(b.undone_by_batch_id, 0) AS undone_by_batch_id
FROM cpb_batch b
LEFT JOIN user_account u ON u.user_id = b.user_id
ORDER BY b.batch_id
