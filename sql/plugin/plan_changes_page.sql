-- One page of a plan's rows that change.
{{plan_page_rows}}
WHERE r.plan_id = :plan_id AND r.changed = 1
  AND {{plan_page_after}}
