SELECT f.filter_type, f.owner_user_id, f.shared, f.name
FROM adhoc_filter f
WHERE f.filter_id = :filter_id
