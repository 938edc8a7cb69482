-- The cells whose reason bit (in :all_reasons) differs from the snapshot, as
-- changed_cells.sql counts them, NULL read as 0. MariaDB cannot open a
-- temporary table twice in one statement, so each snapshot is joined once and
-- its differing bits counted with BIT_COUNT.
SELECT (SELECT COALESCE(SUM(BIT_COUNT((COALESCE(s.cell_phone_messenger, 0) ^ COALESCE(c.cell_phone_messenger, 0)) & :all_reasons)
                          + BIT_COUNT((COALESCE(s.work_phone_messenger, 0) ^ COALESCE(c.work_phone_messenger, 0)) & :all_reasons)
                          + BIT_COUNT((COALESCE(s.other_phone_messenger, 0) ^ COALESCE(c.other_phone_messenger, 0)) & :all_reasons)
                          + BIT_COUNT((COALESCE(s.email_messenger, 0) ^ COALESCE(c.email_messenger, 0)) & :all_reasons)
                          + BIT_COUNT((COALESCE(s.secondary_email_messenger, 0) ^ COALESCE(c.secondary_email_messenger, 0)) & :all_reasons)), 0)
        FROM bench_before_contact s
        JOIN contact c ON c.person_id = s.person_id)
     + (SELECT COALESCE(SUM(BIT_COUNT((COALESCE(s.phone_messenger, 0) ^ COALESCE(h.phone_messenger, 0)) & :all_reasons)), 0)
        FROM bench_before_household s
        JOIN household h ON h.household_id = s.household_id)
