-- One page of a plan's rows with skipped cells, filtered (plan_skipped_filter).
{{plan_page_select}}
FROM cpb_plan_row s
{{plan_page_hosts}}
WHERE s.plan_id = :plan_id AND s.skipped = 1
  AND {{plan_skipped_filter}}
  AND {{plan_page_after:s}}
