-- Fragment: the names x.name of a household's members, in one text, in name order.
GROUP_CONCAT(x.name ORDER BY x.name SEPARATOR '; ')
