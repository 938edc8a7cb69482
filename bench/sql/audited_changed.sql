-- Fragment: the batch changes one device's mask on this row.
({{audited_on_record}} AND ($mask IS NULL OR (($mask & :keep) | :set) <> $mask))
