-- See plan_changes_page.sql. MariaDB chooses the page's rows (row_kind,
-- row_id, sort_name) from the columns of the page index alone, then reads
-- them whole by their key: a query that names any other column of the row,
-- even in a branch its parameters rule out, reads every row the index scan
-- passes, and a rare name's search over a plan of 300,000 students took
-- 0.85 s where the index alone takes 0.15 s. The device filter reads the row
-- by its key, as a value of it: an EXISTS, MariaDB made into a set of every
-- row of every plan with the device before the page's first row (0.5 s a page
-- at 300,000 students against 30 ms). PostgreSQL, given the same query, took
-- 0.3 s for a device's page against 0.13 s; SQLite gains nothing from it.
{{plan_page_select}}
FROM (SELECT k.row_kind, k.row_id, k.sort_name FROM cpb_plan_row k
      WHERE k.plan_id = :plan_id AND k.changed = 1
        AND {{plan_search:k}}
        AND (:any_device = 1
             OR (SELECT CASE WHEN {{plan_changes_device}} THEN 1 ELSE 0 END FROM cpb_plan_row s
                 WHERE s.plan_id = k.plan_id AND s.row_kind = k.row_kind AND s.row_id = k.row_id) = 1)
        AND {{plan_page_after:k}}) k
JOIN cpb_plan_row s ON s.plan_id = :plan_id AND s.row_kind = k.row_kind AND s.row_id = k.row_id
{{plan_page_hosts}}
{{plan_page_order:k}}
