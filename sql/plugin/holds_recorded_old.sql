-- Fragment: the host row (named by its table) still holds the mask a change record (ch) read.
$table.$mask_column {{same_as}} ch.old_$mask_column
