SELECT b.batch_id, b.action, b.status, COALESCE(u.username, 'user ' || b.user_id), b.started_at, b.finished_at,
       b.end_year, b.school_id, b.calendar_id, b.effective_date, b.options, b.result,
       COALESCE(b.undone_batch_id, 0), COALESCE(b.undone_by_batch_id, 0)
FROM cpb_batch b
LEFT JOIN user_account u ON u.user_id = b.user_id
WHERE b.batch_id = :batch_id
