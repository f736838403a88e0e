-- The planner's price of a random page read, for this database: 1.1 sequential reads instead of PostgreSQL's
-- default 4, which dates from spinning disks. The working set lives in memory (and on Aurora's SSD-backed storage),
-- where an index probe costs about what a sequential page does. At 4 the planner preferred walking thousands of
-- conversations in activity order over probing a few hundred that an inbox search matched (210 ms against 2 ms at
-- 2,000,000 messages, bench/inbox). New sessions take the setting; where the migrating role does not own the
-- database the default stays, with a notice.
DO $$
BEGIN
  EXECUTE format('ALTER DATABASE %I SET random_page_cost = 1.1', current_database());
EXCEPTION WHEN insufficient_privilege THEN
  RAISE NOTICE 'random_page_cost left at its default: % may not alter database %', current_user, current_database();
END;
$$;
