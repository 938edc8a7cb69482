-- begin.sql of a run that only reads (a plan's pages, Transaction Access::read):
-- a deferred transaction takes a shared lock at its first read instead of the
-- write lock, so that pages do not queue behind each other.
BEGIN DEFERRED;
