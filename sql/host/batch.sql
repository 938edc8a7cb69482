SELECT b.batch_id AS batch_id, b.action AS action, b.status AS status, COALESCE(u.username, 'user ' || b.user_id) AS username,
       b.started_at AS started_at, b.finished_at AS finished_at, b.end_year AS end_year, b.school_id AS school_id,
       b.calendar_id AS calendar_id, b.effective_date AS effective_date, b.options AS options, b.result AS result,
       COALESCE(b.undone_batch_id, 0) AS undone_batch_id, COALESCE(b.undone_by_batch_id, 0) AS undone_by_batch_id
FROM cpb_batch b
LEFT JOIN user_account u ON u.user_id = b.user_id
WHERE b.batch_id = :batch_id
