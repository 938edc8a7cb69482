-- The stage's household rows in groups (see count_group).
{{each_device:household:count_group: UNION ALL }}
