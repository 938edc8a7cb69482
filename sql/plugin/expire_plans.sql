-- Plans past their time, and applied ones, give their rows back; the plan
-- itself stays, so that a late apply is told what became of it.
UPDATE cpb_plan SET status = 'expired' WHERE status = 'planned' AND expires_at < :now;
DELETE FROM cpb_plan_row WHERE plan_id IN (SELECT p.plan_id FROM cpb_plan p WHERE p.status <> 'planned');
DELETE FROM cpb_plan_member WHERE plan_id IN (SELECT p.plan_id FROM cpb_plan p WHERE p.status <> 'planned');
DELETE FROM cpb_plan_warned_row WHERE plan_id IN (SELECT p.plan_id FROM cpb_plan p WHERE p.status <> 'planned');
DELETE FROM cpb_plan_total WHERE plan_id IN (SELECT p.plan_id FROM cpb_plan p WHERE p.status <> 'planned');
