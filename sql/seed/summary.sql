SELECT (SELECT COUNT(*) FROM person WHERE student_number IS NOT NULL),
       (SELECT COUNT(*) FROM person WHERE student_number IS NULL AND staff_number IS NULL),
       (SELECT COUNT(*) FROM person WHERE staff_number IS NOT NULL),
       (SELECT COUNT(*) FROM school)
