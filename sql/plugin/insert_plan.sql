INSERT INTO cpb_plan (plan_id, status, applied_batch_id, user_id, end_year, school_id, calendar_id, effective_date,
                      options, result, changes_total, skipped_total, created_at, expires_at,
                      left_out_persons, left_out_households)
VALUES (:plan_id, 'planned', NULL, :user_id, :end_year, :school_id, :calendar_id, :date,
        :options, :result, :changes_total, :skipped_total, :now, :expires_at,
        :left_out_persons, :left_out_households)
