-- See drop_contact_chunk_conflicts.sql; MariaDB's single-table DELETE takes no alias.
DELETE ch FROM cpb_contact_change ch
WHERE ch.batch_id = :batch_id AND ch.person_id > :after_key AND ch.person_id <= :last_key
  AND {{chunk_conflict:cell_phone}}
