SELECT (SELECT COUNT(*) FROM person WHERE student_number IS NOT NULL) AS students,
       (SELECT COUNT(*) FROM person WHERE student_number IS NULL AND staff_number IS NULL) AS contacts,
       (SELECT COUNT(*) FROM person WHERE staff_number IS NOT NULL) AS staff,
       (SELECT COUNT(*) FROM school) AS schools
