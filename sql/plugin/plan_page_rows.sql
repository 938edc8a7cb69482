-- Fragment: a plan's rows as a page lists them, with each device's number or
-- address as the host row holds it now.
SELECT r.row_kind, r.row_id, r.sort_name, r.allowed_bits,
       {{each_device:household:page_columns}},
       {{each_device:contact:page_columns}}
FROM cpb_plan_row r
LEFT JOIN household h ON r.row_kind = 1 AND h.household_id = r.row_id
LEFT JOIN contact c ON r.row_kind = 0 AND c.person_id = r.row_id
