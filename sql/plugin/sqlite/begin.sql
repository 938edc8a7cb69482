-- Takes the write lock at once, so that two batches queue instead of deadlocking.
BEGIN IMMEDIATE;
