-- Fragment (begin.sql, and around the creation of the plugin's own tables):
-- the session settings the plugin's SQL is written for, whatever the host's
-- connection or the server runs with; restore_settings.sql puts the host's
-- back. sql_mode: MariaDB's default, plus NO_UNSIGNED_SUBTRACTION (the batch
-- subtracts bit-operation results, unsigned in MariaDB: 1 - a - b could raise
-- 1690). A server's or host's EMPTY_STRING_IS_NULL or ORACLE would turn the
-- '' of a blank test into NULL (and DATE into DATETIME), PIPES_AS_CONCAT and
-- ANSI_QUOTES would change || and "...", ONLY_FULL_GROUP_BY, NO_ZERO_DATE and
-- the strict modes what is refused (docs/RELIABILITY.md, round three).
-- group_concat_max_len: a household's member names are cut at 700 characters
-- (member_names.sql), up to 2,800 bytes, more than a server set to the old
-- default of 1,024 would give.
SET @cpb_saved_sql_mode = @@SESSION.sql_mode, @cpb_saved_group_concat_max_len = @@SESSION.group_concat_max_len;
SET SESSION sql_mode = 'STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_AUTO_CREATE_USER,NO_ENGINE_SUBSTITUTION,NO_UNSIGNED_SUBTRACTION',
    SESSION group_concat_max_len = 1048576;
