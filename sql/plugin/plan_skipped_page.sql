-- One page of a plan's rows with skipped cells.
{{plan_page_rows}}
WHERE r.plan_id = :plan_id AND r.skipped = 1
  AND {{plan_page_after}}
