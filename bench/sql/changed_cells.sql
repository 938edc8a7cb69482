-- Preference cells (row, device, reason bit) whose bit differs from the
-- snapshot: what a batch reports as "updated". NULL reads as 0. The reason
-- bits are the powers of two up to :all_reasons (every reason's bit set).
WITH RECURSIVE bits(b) AS (SELECT 1 UNION ALL SELECT b * 2 FROM bits WHERE b * 2 <= :all_reasons)
SELECT (SELECT COUNT(*)
        FROM bench_before_contact s
        JOIN contact c ON c.person_id = s.person_id
        CROSS JOIN bits
        WHERE (COALESCE(s.cell_phone_messenger, 0) & bits.b) <> (COALESCE(c.cell_phone_messenger, 0) & bits.b))
     + (SELECT COUNT(*)
        FROM bench_before_contact s
        JOIN contact c ON c.person_id = s.person_id
        CROSS JOIN bits
        WHERE (COALESCE(s.work_phone_messenger, 0) & bits.b) <> (COALESCE(c.work_phone_messenger, 0) & bits.b))
     + (SELECT COUNT(*)
        FROM bench_before_contact s
        JOIN contact c ON c.person_id = s.person_id
        CROSS JOIN bits
        WHERE (COALESCE(s.other_phone_messenger, 0) & bits.b) <> (COALESCE(c.other_phone_messenger, 0) & bits.b))
     + (SELECT COUNT(*)
        FROM bench_before_contact s
        JOIN contact c ON c.person_id = s.person_id
        CROSS JOIN bits
        WHERE (COALESCE(s.email_messenger, 0) & bits.b) <> (COALESCE(c.email_messenger, 0) & bits.b))
     + (SELECT COUNT(*)
        FROM bench_before_contact s
        JOIN contact c ON c.person_id = s.person_id
        CROSS JOIN bits
        WHERE (COALESCE(s.secondary_email_messenger, 0) & bits.b) <> (COALESCE(c.secondary_email_messenger, 0) & bits.b))
     + (SELECT COUNT(*)
        FROM bench_before_household s
        JOIN household h ON h.household_id = s.household_id
        CROSS JOIN bits
        WHERE (COALESCE(s.phone_messenger, 0) & bits.b) <> (COALESCE(h.phone_messenger, 0) & bits.b))
