-- People who are no targets but live, on :date, in a household whose phone
-- the batch changes (CONTRACT 9.2).
SELECT COUNT(DISTINCT hm.person_id)
{{non_target_members}}
