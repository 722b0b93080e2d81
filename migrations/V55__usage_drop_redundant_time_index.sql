-- ix_usage_time_id (created_at, id) serves every query ix_usage_time (created_at) served; each
-- index is one more page rewritten per usage-record commit, and every inference call makes one.
DROP INDEX ix_usage_time;
