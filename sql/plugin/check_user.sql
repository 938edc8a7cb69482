-- Who may run the tool: the user's name and flags and whether they hold the
-- tool's write right and its admin right (undo of another user's batch).
SELECT u.disabled AS disabled,
       u.is_portal AS is_portal,
       (SELECT COUNT(*) FROM user_tool_right r
         WHERE r.user_id = u.user_id AND r.tool = 'contact_preferences_batch' AND r.can_write = 1) AS can_write,
       (SELECT COUNT(*) FROM user_tool_right r
         WHERE r.user_id = u.user_id AND r.tool = 'contact_preferences_batch_admin' AND r.can_write = 1) AS can_admin,
       u.username AS username
FROM user_account u
WHERE u.user_id = :user_id
