-- Fragment: a person's name as a list shows it and sorts by it ("Last, First"), from person p.
COALESCE(p.last_name, '') || ', ' || COALESCE(p.first_name, '')
