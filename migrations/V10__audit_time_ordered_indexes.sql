-- Audit queries list events newest first by (event_time, seq) and stop after one page. Each filter
-- that is an equality gets an index (column, event_time, seq), which yields its events already in
-- that order, with a time range as a seek inside it; (event_time, seq) serves the unfiltered list and
-- time ranges alone. The (column, seq) indexes of V8 could give seq order only, so a time window
-- became a scan of every newer event, and on H2 any filter a sort of every match.
DROP INDEX ix_audit_actor;
DROP INDEX ix_audit_action;
DROP INDEX ix_audit_service;
DROP INDEX ix_audit_full_name;
DROP INDEX ix_audit_time;
CREATE INDEX ix_audit_actor_time ON audit_events (actor_name, event_time, seq);
CREATE INDEX ix_audit_action_time ON audit_events (action_name, event_time, seq);
CREATE INDEX ix_audit_service_time ON audit_events (service, event_time, seq);
CREATE INDEX ix_audit_full_name_time ON audit_events (full_name, event_time, seq);
CREATE INDEX ix_audit_time_seq ON audit_events (event_time, seq);
-- A status class (4xx, failure) is a large share of all events: H2 would pick this index for it and
-- sort every match. Status filters ride on the indexes above and are checked row by row.
DROP INDEX ix_audit_status;
