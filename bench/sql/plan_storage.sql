-- The bytes of the database's pages that hold each plan table (cpb_plan*),
-- its indexes included: SQLite's dbstat table, page by page.
SELECT m.tbl_name, SUM(d.pgsize)
FROM dbstat d
JOIN sqlite_master m ON m.name = d.name
WHERE m.tbl_name LIKE 'cpb\_plan%' ESCAPE '\'
GROUP BY m.tbl_name
