-- Fragment: target s of the contact stage has, after the batch, no device on
-- record with the emergency bit on, a household phone counting for its
-- members (CONTRACT 9.2: the no_emergency_channel warning).
NOT ({{each_device:contact:emergency_on: OR }})
AND NOT EXISTS (SELECT 1 FROM cpb_tmp_member m
                JOIN cpb_tmp_household_stage h ON h.household_id = m.household_id
                WHERE m.person_id = s.person_id
                  AND h.household_phone_state <> :state_no_device
                  AND (COALESCE(h.household_phone_new, 0) & :emergency_bit) <> 0)
