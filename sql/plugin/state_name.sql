-- Fragment: the name of one device's cell-state column (in a stage, a plan's rows and a change record).
$device_state
