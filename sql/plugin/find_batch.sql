SELECT b.tool AS tool, b.status AS status, b.undone_by_batch_id AS undone_by_batch_id, b.user_id AS user_id,
       b.action AS action,
       (SELECT u.username FROM user_account u WHERE u.user_id = b.user_id) AS username
FROM cpb_batch b WHERE b.batch_id = :batch_id
