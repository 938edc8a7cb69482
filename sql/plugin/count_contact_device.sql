-- One device's cells before the change, grouped by what decides their fate:
-- on record, reasons allowed, protected row, current mask. At most a few
-- thousand groups whatever the district's size.
SELECT '$device',
       {{on_record}},
       t.allowed_bits,
       {{portal_protected}},
       $mask,
       COUNT(*)
FROM cpb_tmp_target t
LEFT JOIN contact c ON c.person_id = t.person_id
GROUP BY 2, 3, 4, 5
