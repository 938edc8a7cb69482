-- Who may run the tool: the user's flags and whether they hold the write right.
SELECT u.disabled,
       u.is_portal,
       (SELECT COUNT(*) FROM user_tool_right r
         WHERE r.user_id = u.user_id AND r.tool = 'contact_preferences_batch' AND r.can_write = 1) AS can_write
FROM user_account u
WHERE u.user_id = :user_id
