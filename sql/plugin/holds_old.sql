-- Fragment: the host row still holds the mask stage row s saw before the change.
$mask IS NOT DISTINCT FROM s.$device_old
