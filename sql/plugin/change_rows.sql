-- Fragment: 1 when one device of stage row s changes (a plan row of kind "changes").
(CASE WHEN {{changed}} THEN 1 ELSE 0 END)
