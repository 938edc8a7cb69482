-- The audited floor resolves its targets once, into a keyed table: everyone
-- related to an enrolled student by a Messenger relationship active on :date.
INSERT INTO bench_audit_contact (person_id)
SELECT DISTINCT rp.person_id2
FROM related_pair rp
WHERE rp.messenger = 1
  AND rp.person_id2 IS NOT NULL
  AND (rp.start_date IS NULL OR rp.start_date <= :date)
  AND (rp.end_date IS NULL OR rp.end_date >= :date)
  AND {{audited_scan_whole}}rp.person_id1 IN ({{audited_enrolled}})
