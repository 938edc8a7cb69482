-- Fragment: the reason bits the options ask of device $device, On or Off.
(:set_$device | :clear_$device)
