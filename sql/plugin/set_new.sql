-- Fragment: a host row mask set to what a change record (ch) wrote.
$mask_column = ch.new_$mask_column
