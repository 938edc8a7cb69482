-- Fragment: null-safe equality; MariaDB has no IS NOT DISTINCT FROM.
<=>
