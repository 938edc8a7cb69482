-- See sql/plugin/expire_plans.sql. MariaDB 10.11 runs a DELETE ... WHERE
-- plan_id IN (SELECT ...) as a dependent subquery over every row of the table,
-- the rows of every plan still under review included (0.14 s for 300,000 rows
-- with nothing to delete, each plan again); joined, it reads only the rows of
-- the plans whose rows go (0.01 s).
UPDATE cpb_plan SET status = 'expired' WHERE status = 'planned' AND expires_at < :now;
DELETE r FROM cpb_plan_row r JOIN cpb_plan p ON p.plan_id = r.plan_id WHERE p.status <> 'planned';
DELETE m FROM cpb_plan_member m JOIN cpb_plan p ON p.plan_id = m.plan_id WHERE p.status <> 'planned';
DELETE w FROM cpb_plan_warned_row w JOIN cpb_plan p ON p.plan_id = w.plan_id WHERE p.status <> 'planned';
DELETE t FROM cpb_plan_total t JOIN cpb_plan p ON p.plan_id = t.plan_id WHERE p.status <> 'planned';
