SELECT f.filter_type AS filter_type, f.owner_user_id AS owner_user_id, f.shared AS shared, f.name AS name
FROM adhoc_filter f
WHERE f.filter_id = :filter_id
