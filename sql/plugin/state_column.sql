-- Fragment: a change record's column for one device's cell state as the batch read it.
$device_state INTEGER
