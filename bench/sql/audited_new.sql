-- Fragment: one device's mask after the batch: a cell on record gets the set
-- bits and loses the cleared ones (:keep is every reason bit but those), a
-- NULL mask written whole; else the mask stays as it is.
CASE WHEN {{audited_on_record}} THEN (COALESCE($mask, 0) & :keep) | :set ELSE $mask END
