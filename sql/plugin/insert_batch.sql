INSERT INTO cpb_batch (
    batch_id, tool, action, status, undone_batch_id, undone_by_batch_id, user_id, end_year, school_id, calendar_id,
    effective_date, mode, options, result, persons, households, updated, unchanged, started_at, finished_at)
VALUES (:batch_id, 'contact_preferences_batch', :action, :status, :undone_batch_id, NULL, :user_id, :end_year, :school_id,
        :calendar_id, :date, :mode, :options, :result, :persons, :households, :updated, :unchanged, :started_at, :finished_at)
