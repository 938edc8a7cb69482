-- The floor for household phones: the households in which a target is a member
-- on :date, whose phone is on record and whose mask changes a bit.
UPDATE household
SET phone_messenger = (COALESCE(phone_messenger, 0) & ~:clear) | :set,
    modified_by_id = :user_id,
    modified_date = :now
WHERE phone IS NOT NULL AND TRIM(phone) <> ''
  AND ((COALESCE(phone_messenger, 0) & ~:clear) | :set) <> COALESCE(phone_messenger, 0)
  AND household_id IN (
        SELECT hm.household_id
        FROM household_member hm
        WHERE (hm.start_date IS NULL OR hm.start_date <= :date)
          AND (hm.end_date IS NULL OR hm.end_date >= :date)
          AND hm.person_id IN (
                SELECT rp.person_id2
                FROM related_pair rp
                WHERE rp.messenger = 1
                  AND (rp.start_date IS NULL OR rp.start_date <= :date)
                  AND (rp.end_date IS NULL OR rp.end_date >= :date)
                  AND rp.person_id1 IN (SELECT e.person_id
                                        FROM enrollment e
                                        JOIN calendar cal ON cal.calendar_id = e.calendar_id
                                        WHERE cal.end_year = :end_year
                                          AND e.no_show = 0
                                          AND (e.end_date IS NULL OR e.end_date >= :date))))
