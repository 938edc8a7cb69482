-- Fragment: one device's mask as it is.
$mask
