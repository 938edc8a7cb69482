-- Fragment: the host row (named by its table) still holds the mask a change record (ch) read.
$table.$mask_column IS NOT DISTINCT FROM ch.old_$mask_column
