-- 1 when the host left a transaction open on the connection: the plugin must
-- neither commit nor roll back the host's work.
SELECT @@in_transaction
