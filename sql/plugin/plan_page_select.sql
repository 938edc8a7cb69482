-- Fragment: the columns of plan rows s as a page lists them, with each
-- device's number or address as the host row holds it now (plan_page_hosts).
SELECT s.row_kind AS row_kind, s.row_id AS row_id, s.sort_name AS sort_name, s.allowed_bits AS allowed_bits,
       {{each_device:household:page_columns}},
       {{each_device:contact:page_columns}}
