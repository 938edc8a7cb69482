-- Fragment: change record ch of the chunk being written is a conflict: its
-- host row is gone or no longer holds what the batch's decision read (CONTRACT
-- 12.1). Such a row is left alone, counted in conflicts and in no other count
-- (CONTRACT 11, 12.2).
NOT EXISTS (SELECT 1 FROM $table $row
            WHERE $row.$key = ch.$key
              AND {{each_device:$table:holds_recorded_decision: AND }})
