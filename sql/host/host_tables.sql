-- How many of the host's own tables exist in the connection's database or schema.
SELECT COUNT(*) FROM $catalog_tables t
WHERE t.table_name IN ('school', 'calendar', 'person', 'contact', 'household', 'household_member', 'related_pair',
                       'enrollment', 'district_assignment', 'user_account', 'user_tool_right', 'adhoc_filter', 'adhoc_filter_member')
