-- See plan_skipped_page.sql; chosen by the page index as
-- mariadb/plan_changes_page.sql says.
{{plan_page_select}}
FROM (SELECT k.row_kind, k.row_id, k.sort_name FROM cpb_plan_row k
      WHERE k.plan_id = :plan_id AND k.skipped = 1
        AND {{plan_search:k}}
        AND (:any_device = 1
             OR (SELECT CASE WHEN {{plan_skipped_device}} THEN 1 ELSE 0 END FROM cpb_plan_row s
                 WHERE s.plan_id = k.plan_id AND s.row_kind = k.row_kind AND s.row_id = k.row_id) = 1)
        AND {{plan_page_after:k}}) k
JOIN cpb_plan_row s ON s.plan_id = :plan_id AND s.row_kind = k.row_kind AND s.row_id = k.row_id
{{plan_page_hosts}}
{{plan_page_order:k}}
