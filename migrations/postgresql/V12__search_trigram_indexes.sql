-- PostgreSQL only: trigram indexes let a substring search over names and comments start from an
-- index instead of reading every securable (the search queries carry a LIKE '%q%' beside their
-- exact POSITION test for this). pg_trgm ships with PostgreSQL's contrib and is a trusted
-- extension (PostgreSQL 13+), so a database owner may create it; where it is missing, search still
-- works, by scanning, and the migration says so instead of failing.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE INDEX ix_securables_name_trgm ON securables USING gin (name gin_trgm_ops);
  CREATE INDEX ix_securables_comment_trgm ON securables USING gin (LOWER(comment) gin_trgm_ops);
EXCEPTION WHEN OTHERS THEN
  RAISE WARNING 'pg_trgm is not available (%): substring search will scan the securables table', SQLERRM;
END $$;
