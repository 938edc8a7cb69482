-- Fragment of temp_tables.sql: the key of a working set the run joins whole
-- (the columns the include names), which SQLite's and MariaDB's plans look
-- rows up by.
, PRIMARY KEY ($row)
