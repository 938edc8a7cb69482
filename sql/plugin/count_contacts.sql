-- The stage's contact rows, device by device, in groups (see count_group).
{{each_device:contact:count_group: UNION ALL }}
