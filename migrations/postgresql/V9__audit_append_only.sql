-- PostgreSQL only: the audit table is append-only. UPDATE is always refused; DELETE only of events
-- already archived behind a recorded anchor (retention), never of the live chain.
CREATE FUNCTION audit_events_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.seq <= (SELECT COALESCE(MAX(archived_through_seq), 0) FROM audit_anchors) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_events_append_only
BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

CREATE FUNCTION audit_anchors_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_anchors is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_anchors_append_only
BEFORE UPDATE OR DELETE ON audit_anchors
FOR EACH ROW EXECUTE FUNCTION audit_anchors_append_only();

-- Prefix filters (full_name LIKE 'main.%') use this index whatever the database collation.
CREATE INDEX ix_audit_full_name_pattern ON audit_events (full_name varchar_pattern_ops, seq);
