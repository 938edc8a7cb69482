-- Fragment: null-safe equality between the expressions on either side (NULL equals NULL).
IS NOT DISTINCT FROM
