-- One page of a plan's rows that change, filtered (as plan_changes_filter):
-- chosen by the page index's columns (plan_page_rows), the device filter
-- reading the row itself only when there is one, by its key. It is a value
-- of the row, not an EXISTS: MariaDB turned EXISTS into a set of every row
-- of every plan that has the device, made before the page's first row (0.5 s
-- a page at 300,000 students, against 30 ms).
{{plan_page_select}}
FROM (SELECT k.row_kind, k.row_id, k.sort_name FROM cpb_plan_row k
      WHERE k.plan_id = :plan_id AND k.changed = 1
        AND {{plan_search:k}}
        AND (:any_device = 1
             OR (SELECT CASE WHEN {{plan_changes_device}} THEN 1 ELSE 0 END FROM cpb_plan_row s
                 WHERE s.plan_id = k.plan_id AND s.row_kind = k.row_kind AND s.row_id = k.row_id) = 1)
        AND {{plan_page_after:k}}) k
{{plan_page_rows}}
