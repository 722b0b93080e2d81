-- H2 walks an index with an IN list only on the index's first column and ignores the conditions on
-- its other columns, yet its planner may rate (principal_id, securable_id) best for "a grant of one
-- of these principals on this securable" (it did in bench/access.sh, for some query shapes): each
-- such probe then read every grant of every one of the caller's principals (9,620 rows per table; a
-- listing page took 14 s). Without that index H2 probes the primary key (securable_id, principal_id,
-- privilege), as PostgreSQL does. principal_id alone still serves ON DELETE CASCADE from principals
-- and lookups by principal.
DROP INDEX ix_grants_principal;
CREATE INDEX ix_grants_principal ON grants (principal_id);
