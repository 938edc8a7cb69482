-- The census filter's members; the staff bit only for those with a district
-- assignment active on :date.
INSERT INTO cpb_tmp_target (person_id, allowed_bits)
SELECT DISTINCT m.person_id,
       CASE WHEN EXISTS (SELECT 1 FROM district_assignment a
                          WHERE a.person_id = m.person_id
                            AND (a.start_date IS NULL OR a.start_date <= :date)
                            AND (a.end_date IS NULL OR a.end_date >= :date))
            THEN :all_reasons ELSE :allowed_no_staff END
FROM adhoc_filter_member m
WHERE m.filter_id = :filter_id
  AND m.person_id IS NOT NULL
