-- Fragment: the host row still holds the mask the recorded batch (ch) wrote.
$mask IS NOT DISTINCT FROM ch.new_$mask_column
