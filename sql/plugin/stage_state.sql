-- Fragment: one device's staged cell state.
s.$device_state
