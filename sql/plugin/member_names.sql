-- Fragment: the names x.name of a household's members, in one text (aggregate).
group_concat(x.name, '; ')
