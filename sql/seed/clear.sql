-- Empties the host tables, children first.
DELETE FROM adhoc_filter_member;
DELETE FROM adhoc_filter;
DELETE FROM user_tool_right;
DELETE FROM district_assignment;
DELETE FROM enrollment;
DELETE FROM related_pair;
DELETE FROM household_member;
DELETE FROM household;
DELETE FROM contact;
DELETE FROM user_account;
DELETE FROM person;
DELETE FROM calendar;
DELETE FROM school;
