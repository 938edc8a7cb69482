-- Fragment: the host row still holds the mask stage row s saw before the change.
$mask {{same_as}} s.$device_old
