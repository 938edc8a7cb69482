-- Fragment: the host row still holds the mask the recorded batch (ch) wrote.
$mask {{same_as}} ch.new_$mask_column
