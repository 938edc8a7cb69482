-- Fragment: one device's staged mask before the change.
s.$device_old
