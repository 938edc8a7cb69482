-- Fragment: one device's cells before the change, from its cell_state column
-- s.$device, in thirteen sums of bit arithmetic (no CASE per sum: these run
-- once per target and device) that Run::count turns into counts per reason
-- (DeviceCells in session.cpp): no device; on record but not allowed the
-- staff reason; protected; protected and allowed staff; writable and allowed
-- staff; then, for each reason bit, the writable cells whose bit is on now
-- (the staff bit among those allowed it).
SUM((s.$device >> 8) & 1),
SUM((1 - ((s.$device >> 8) & 1)) * (1 - ((s.allowed_bits >> 6) & 1))),
SUM((s.$device >> 9) & 1),
SUM(((s.$device >> 9) & 1) * ((s.allowed_bits >> 6) & 1)),
SUM((1 - ((s.$device >> 8) & 1) - ((s.$device >> 9) & 1)) * ((s.allowed_bits >> 6) & 1)),
SUM(s.$device & 1),
SUM((s.$device >> 1) & 1),
SUM((s.$device >> 2) & 1),
SUM((s.$device >> 3) & 1),
SUM((s.$device >> 4) & 1),
SUM((s.$device >> 5) & 1),
SUM(((s.$device >> 6) & 1) * ((s.allowed_bits >> 6) & 1)),
SUM((s.$device >> 7) & 1)
