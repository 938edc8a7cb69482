-- Fragment: one device's columns of a count: its rows on record, then for each
-- reason in kReasons' order the sum of (changing bits & bit).
COUNT(s.$device_changing), {{each_reason:audited_bit_sum}}
