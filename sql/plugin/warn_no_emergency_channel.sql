-- Targets who after the batch have no device on record with the emergency
-- bit on, a household phone counting for its members (CONTRACT 9.2).
SELECT COUNT(*)
FROM cpb_tmp_contact_stage s
WHERE {{lacks_emergency_channel}}
