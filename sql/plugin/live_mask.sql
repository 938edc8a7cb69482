-- Fragment: the mask of one device in the host row now.
$mask
