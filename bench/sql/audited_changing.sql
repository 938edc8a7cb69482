-- Fragment: the asked bits of one device's cell that the batch changes (all of
-- them when the mask is NULL, which is written whole), NULL when the device is
-- not on record. Every asked bit is set or cleared, so the bits that change
-- are (mask XOR :set) & :asked; a | b - (a & b) is a XOR b on every engine.
CASE WHEN TRIM($value) <> '' THEN
     CASE WHEN $mask IS NULL THEN :asked ELSE (($mask | :set) - ($mask & :set)) & :asked END
END AS $device_changing
