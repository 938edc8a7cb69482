-- See analyze_contact_changes.
ANALYZE cpb_household_change;
