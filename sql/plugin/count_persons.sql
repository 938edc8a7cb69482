SELECT COUNT(*) FROM cpb_tmp_target
