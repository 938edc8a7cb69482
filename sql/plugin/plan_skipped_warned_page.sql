-- One page of the rows with skipped cells among those a warning counts, filtered.
{{plan_page_select}}
{{plan_warned_rows}}
{{plan_page_hosts}}
WHERE w.plan_id = :plan_id AND w.warning = :warning AND s.skipped = 1
  AND {{plan_skipped_filter}}
  AND {{plan_page_after:w}}
