-- Staff accounts the simulator may "run as" (portal accounts never run host tools),
-- with whether each may run the tool: what the plugin itself checks, shown up front.
SELECT u.user_id AS user_id, u.username AS username, u.disabled AS disabled,
       CASE WHEN EXISTS (SELECT 1 FROM user_tool_right r
                         WHERE r.user_id = u.user_id AND r.tool = 'contact_preferences_batch' AND r.can_write = 1)
            THEN 1 ELSE 0 END AS may_run
FROM user_account u
WHERE u.is_portal = 0
ORDER BY u.username, u.user_id
