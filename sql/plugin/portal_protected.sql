-- Fragment: 1 when keep_portal protects the row (last modified by a portal account).
CASE WHEN :keep_portal = 1 AND $row.modified_by_id IN (SELECT u.user_id FROM user_account u WHERE u.is_portal = 1)
     THEN 1 ELSE 0 END
