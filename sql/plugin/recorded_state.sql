-- Fragment: one device's cell state as the recorded batch (change record ch) read it.
ch.$device_state
