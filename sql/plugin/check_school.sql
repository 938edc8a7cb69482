SELECT s.name AS name FROM school s WHERE s.school_id = :school_id
