-- Fragment: the stage row's mask of this device changes.
NOT (s.$device_new {{same_as}} s.$device_old)
