-- Fragment: the stage row's mask of this device changes.
s.$device_new IS DISTINCT FROM s.$device_old
