-- The cells of the chunk's conflicting household records, in groups.
{{each_device:household:conflict_group: UNION ALL }}
