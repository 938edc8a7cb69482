-- How many of the host's own tables exist in the connection's database.
SELECT COUNT(*) FROM information_schema.tables
WHERE table_schema = DATABASE()
  AND table_name IN ('school', 'calendar', 'person', 'contact', 'household', 'household_member', 'related_pair',
                     'enrollment', 'district_assignment', 'user_account', 'user_tool_right', 'adhoc_filter', 'adhoc_filter_member')
