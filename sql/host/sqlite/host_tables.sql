-- How many of the host's own tables exist in the file.
SELECT COUNT(*) FROM sqlite_master
WHERE type = 'table'
  AND name IN ('school', 'calendar', 'person', 'contact', 'household', 'household_member', 'related_pair',
               'enrollment', 'district_assignment', 'user_account', 'user_tool_right', 'adhoc_filter', 'adhoc_filter_member')
