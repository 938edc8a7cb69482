-- The schools of the toolbar's school picker, by name.
SELECT school_id AS school_id, name AS name FROM school ORDER BY name, school_id
