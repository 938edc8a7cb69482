-- Fragment: one device's cells before the change, in fourteen sums that
-- Run::count turns into counts per reason (kCountColumns in session.cpp):
-- no device; on record but not staff; on record but protected; the same for
-- staff; writable; writable for staff; then, for each reason bit, the
-- writable cells whose bit is off now.
SUM(CASE WHEN {{on_record}} = 0 THEN 1 ELSE 0 END),
SUM(CASE WHEN {{on_record}} = 1 AND (t.allowed_bits & 64) = 0 THEN 1 ELSE 0 END),
SUM(CASE WHEN {{on_record}} = 1 AND {{cell_open}} = 0 THEN 1 ELSE 0 END),
SUM(CASE WHEN {{on_record}} = 1 AND {{cell_open}} = 0 AND (t.allowed_bits & 64) <> 0 THEN 1 ELSE 0 END),
SUM({{cell_open}}),
SUM(CASE WHEN (t.allowed_bits & 64) <> 0 THEN {{cell_open}} ELSE 0 END),
SUM(CASE WHEN (COALESCE($mask, 0) & 1) = 0 THEN {{cell_open}} ELSE 0 END),
SUM(CASE WHEN (COALESCE($mask, 0) & 2) = 0 THEN {{cell_open}} ELSE 0 END),
SUM(CASE WHEN (COALESCE($mask, 0) & 4) = 0 THEN {{cell_open}} ELSE 0 END),
SUM(CASE WHEN (COALESCE($mask, 0) & 8) = 0 THEN {{cell_open}} ELSE 0 END),
SUM(CASE WHEN (COALESCE($mask, 0) & 16) = 0 THEN {{cell_open}} ELSE 0 END),
SUM(CASE WHEN (COALESCE($mask, 0) & 32) = 0 THEN {{cell_open}} ELSE 0 END),
SUM(CASE WHEN (COALESCE($mask, 0) & 64) = 0 AND (t.allowed_bits & 64) <> 0 THEN {{cell_open}} ELSE 0 END),
SUM(CASE WHEN (COALESCE($mask, 0) & 128) = 0 THEN {{cell_open}} ELSE 0 END)
