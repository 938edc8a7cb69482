-- One page of a plan's rows with skipped cells, filtered (as
-- plan_skipped_filter): chosen as plan_changes_page.sql chooses.
{{plan_page_select}}
FROM (SELECT k.row_kind, k.row_id, k.sort_name FROM cpb_plan_row k
      WHERE k.plan_id = :plan_id AND k.skipped = 1
        AND {{plan_search:k}}
        AND (:any_device = 1
             OR (SELECT CASE WHEN {{plan_skipped_device}} THEN 1 ELSE 0 END FROM cpb_plan_row s
                 WHERE s.plan_id = k.plan_id AND s.row_kind = k.row_kind AND s.row_id = k.row_id) = 1)
        AND {{plan_page_after:k}}) k
{{plan_page_rows}}
