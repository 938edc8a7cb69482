-- Fragment: plan row s has skipped cells of the device filter's device.
({{each_device:household:device_skips: OR }} OR {{each_device:contact:device_skips: OR }})
