-- 1 when the connection's transaction already wrote something: the host's
-- uncommitted work, which the plugin must neither commit nor roll back.
SELECT CASE WHEN pg_current_xact_id_if_assigned() IS NULL THEN 0 ELSE 1 END
