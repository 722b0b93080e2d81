-- The (event_time, seq) index also carries full_name, so that a walk of the newest events can test a
-- full_name prefix on the index entry and read the row only when it matches: H2 pages a prefix filter
-- that way (see AuditDao.prefixPageOnH2). It replaces the index of V10 rather than adding one more
-- for every append to maintain.
DROP INDEX ix_audit_time_seq;
CREATE INDEX ix_audit_time_seq_name ON audit_events (event_time, seq, full_name);
