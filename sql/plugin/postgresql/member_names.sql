-- Fragment: the names x.name of a household's members, in one text, in name order.
string_agg(x.name, '; ' ORDER BY x.name)
