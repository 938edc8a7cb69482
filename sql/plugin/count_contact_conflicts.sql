-- The cells of the chunk's conflicting contact records, device by device, in groups.
{{each_device:contact:conflict_group: UNION ALL }}
