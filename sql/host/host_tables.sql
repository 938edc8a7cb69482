-- How many of the host's own tables exist: a database the simulator may hand to the plugin has them all.
SELECT COUNT(*) FROM information_schema.tables
WHERE table_schema NOT IN ('information_schema', 'pg_catalog')
  AND table_name IN ('school', 'calendar', 'person', 'contact', 'household', 'household_member', 'related_pair',
                     'enrollment', 'district_assignment', 'user_account', 'user_tool_right', 'adhoc_filter', 'adhoc_filter_member')
