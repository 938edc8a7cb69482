-- Fragment: one device's staged mask after the change.
s.$device_new
