-- Fragment: the host row of each plan row s, for the numbers and addresses a page lists.
LEFT JOIN household h ON s.row_kind = 1 AND h.household_id = s.row_id
LEFT JOIN contact c ON s.row_kind = 0 AND c.person_id = s.row_id
