-- The host's queries concatenate with || (standard SQL), which MariaDB reads
-- as OR unless PIPES_AS_CONCAT is on. Only the simulator's connections: the
-- plugin's own statements do not rely on it.
SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',PIPES_AS_CONCAT');
