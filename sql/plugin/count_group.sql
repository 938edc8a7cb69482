-- Fragment: one device's rows of stage table s in groups that share a state,
-- the reasons they may receive and the mask before and after. Every asked cell
-- of a group meets the same fate; Tally::add_group (tally.cpp) gives it. The
-- groups are bounded by the states, allowances and masks on record (at most
-- 3 x 2 x 256 per device while masks hold reason bits only), not by the
-- district: the database reads the stage once per device and the plugin reads
-- the groups one at a time, their columns by name.
SELECT '$device' AS device, s.$device_state AS cell_state, s.allowed_bits, s.$device_old AS old_mask, s.$device_new AS new_mask,
       COUNT(*) AS row_count
FROM cpb_tmp_$table_stage s
GROUP BY s.$device_state, s.allowed_bits, s.$device_old, s.$device_new
