SELECT p.status AS status, p.user_id AS user_id, p.end_year AS end_year, p.school_id AS school_id,
       p.calendar_id AS calendar_id, p.effective_date AS effective_date, p.options AS options,
       p.changes_total AS changes_total, p.skipped_total AS skipped_total, p.applied_batch_id AS applied_batch_id,
       p.expires_at AS expires_at,
       CASE WHEN p.expires_at < :now THEN 1 ELSE 0 END AS expired,
       COALESCE(p.left_out_persons, 0) AS left_out_persons, COALESCE(p.left_out_households, 0) AS left_out_households
FROM cpb_plan p WHERE p.plan_id = :plan_id
