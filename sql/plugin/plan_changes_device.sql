-- Fragment: plan row s is a row of the device filter's device that changes.
({{each_device:household:device_changes: OR }} OR {{each_device:contact:device_changes: OR }})
