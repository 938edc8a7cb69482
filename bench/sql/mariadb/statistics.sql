-- Statistics after seeding: InnoDB recalculates a table's on its own only
-- after a tenth of it changed, so a DBA runs ANALYZE TABLE after a bulk load.
ANALYZE TABLE school, calendar, person, user_account, contact, household, household_member, related_pair,
              enrollment, district_assignment, user_tool_right, adhoc_filter, adhoc_filter_member;
