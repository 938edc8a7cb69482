-- Fragment: what one device's cells are for this row: 256 no device on
-- record, 512 left alone by the overwrite policy (unset_only: the mask is set;
-- keep_portal: a portal account changed the row last), else the mask (NULL
-- read as 0) whose bits may be written.
CASE WHEN {{on_record}} = 0 THEN 256
     WHEN :unset_only = 1 AND $mask IS NOT NULL THEN 512
     WHEN {{portal_protected}} = 1 THEN 512
     ELSE COALESCE($mask, 0) & 255 END
