-- Fragment: one device's cells of the chunk's conflicting records in groups,
-- as count_group.sql groups a stage's, so that Tally takes them out of the
-- batch's counts. A record of version 1.1 has no state or allowance: it counts
-- as writable for every reason. (Grouped by the inner query's names: PostgreSQL
-- does not see two COALESCE calls with other parameter numbers as one expression.)
SELECT '$device' AS device, g.cell_state AS cell_state, g.allowed_bits AS allowed_bits, g.old_mask AS old_mask,
       g.new_mask AS new_mask, COUNT(*) AS row_count
FROM (SELECT COALESCE(ch.$device_state, :state_writable) AS cell_state, COALESCE(ch.allowed_bits, :all_reasons) AS allowed_bits,
             ch.old_$mask_column AS old_mask, ch.new_$mask_column AS new_mask
      FROM cpb_$table_change ch
      WHERE ch.batch_id = :batch_id AND ch.$key > :after_key AND ch.$key <= :last_key
        AND {{chunk_conflict}}) g
GROUP BY g.cell_state, g.allowed_bits, g.old_mask, g.new_mask
