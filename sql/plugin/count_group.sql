-- Fragment: one device's rows of stage table s in groups that share a state,
-- the reasons they may receive and the mask before (the mask after follows
-- from these). Every asked cell of a group meets the same fate;
-- Tally::add_group (tally.cpp) gives it. The groups are bounded by the states,
-- allowances and masks on record (at most 3 x 2 x 256 per device while masks
-- hold reason bits only), not by the district: the database reads the stage
-- once per device and the plugin reads the groups one at a time, their columns
-- by name.
-- A group is found by one whole number, not by four columns: SQLite sorts to
-- group, and sorting by one number takes half the time (0.11 s against 0.22 s
-- for the contacts of 50,000 students). The number tells every group apart
-- while allowed bits < 256 and a state < 4 (:group_unit = 1024, bound and
-- checked in batch.cpp); a NULL mask counts apart from every mask by its
-- last bit. Each group's own columns come back as MIN of one value.
SELECT '$device' AS device, MIN(s.$device_state) AS cell_state, MIN(s.allowed_bits) AS allowed_bits,
       MIN(s.$device_old) AS old_mask, MIN(s.$device_new) AS new_mask, COUNT(*) AS row_count
FROM cpb_tmp_$table_stage s
GROUP BY (COALESCE(s.$device_old, -1) * :group_unit + s.allowed_bits * 4 + s.$device_state) * 2
         + CASE WHEN s.$device_old IS NULL THEN 1 ELSE 0 END
