-- Temporary tables get no statistics of their own; the joins that follow need them.
ANALYZE cpb_tmp_contact_stage;
ANALYZE cpb_tmp_household_stage;
ANALYZE cpb_tmp_member;
