-- One page of the rows that change among those a warning counts, filtered.
{{plan_page_select}}
{{plan_warned_rows}}
{{plan_page_hosts}}
WHERE w.plan_id = :plan_id AND w.warning = :warning AND s.changed = 1
  AND {{plan_changes_filter}}
  AND {{plan_page_after:w}}
