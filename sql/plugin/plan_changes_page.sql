-- One page of a plan's rows that change, filtered (plan_changes_filter).
{{plan_page_select}}
FROM cpb_plan_row s
{{plan_page_hosts}}
WHERE s.plan_id = :plan_id AND s.changed = 1
  AND {{plan_changes_filter}}
  AND {{plan_page_after:s}}
