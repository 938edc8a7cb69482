-- Fragment: the page rows one device of rows s makes, of each kind (named changes_<device>, skipped_<device>).
COALESCE(SUM({{change_rows}}), 0) AS changes_$device, COALESCE(SUM({{skip_rows}}), 0) AS skipped_$device
