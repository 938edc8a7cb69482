-- The ad hoc filters a user may use: their own and the shared ones (CONTRACT 4).
SELECT filter_id AS filter_id, name AS name, filter_type AS filter_type FROM adhoc_filter
WHERE owner_user_id = :user_id OR shared = 1
ORDER BY name, filter_id
