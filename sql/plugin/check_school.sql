SELECT s.name FROM school s WHERE s.school_id = :school_id
