-- Plans are serialised by the transaction's lock, like batches; plan ids are never reused.
SELECT COALESCE(MAX(plan_id), 0) + 1 FROM cpb_plan
