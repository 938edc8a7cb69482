UPDATE cpb_plan SET status = 'applied', applied_batch_id = :batch_id WHERE plan_id = :plan_id
