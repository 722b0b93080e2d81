-- The audit log: append-only, hash-chained. seq is the event's position in the chain, assigned
-- while holding the lock on audit_chain_head, so concurrent writers (and instances) form one chain.
CREATE TABLE audit_events (
  seq            BIGINT         NOT NULL PRIMARY KEY,
  event_id       VARCHAR(36)    NOT NULL,
  event_time     BIGINT         NOT NULL,
  request_id     VARCHAR(64)    NOT NULL,
  actor_name     VARCHAR(255),
  actor_type     VARCHAR(32),
  api_key_id     VARCHAR(36),
  source_ip      VARCHAR(64),
  user_agent     VARCHAR(512),
  service        VARCHAR(32)    NOT NULL,
  action_name    VARCHAR(64)    NOT NULL,
  securable_type VARCHAR(32),
  full_name      VARCHAR(1024),
  request_params VARCHAR(65536),
  details        VARCHAR(65536),
  status_code    INT            NOT NULL,
  error_code     VARCHAR(64),
  prev_hash      VARCHAR(64)    NOT NULL,
  hash           VARCHAR(64)    NOT NULL,
  CONSTRAINT ux_audit_events_event_id UNIQUE (event_id)
);
CREATE INDEX ix_audit_actor ON audit_events (actor_name, seq);
CREATE INDEX ix_audit_action ON audit_events (action_name, seq);
CREATE INDEX ix_audit_service ON audit_events (service, seq);
CREATE INDEX ix_audit_full_name ON audit_events (full_name, seq);
CREATE INDEX ix_audit_status ON audit_events (status_code, seq);
CREATE INDEX ix_audit_time ON audit_events (event_time);

-- The chain's head: one row, locked by every append.
CREATE TABLE audit_chain_head (
  id        INT         NOT NULL PRIMARY KEY,
  last_seq  BIGINT      NOT NULL,
  last_hash VARCHAR(64) NOT NULL
);
INSERT INTO audit_chain_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Retention: events up to archived_through_seq were archived and removed; the chain now starts
-- from anchor_hash, the hash of the last archived event.
CREATE TABLE audit_anchors (
  archived_through_seq BIGINT       NOT NULL PRIMARY KEY,
  anchor_hash          VARCHAR(64)  NOT NULL,
  archived_count       BIGINT       NOT NULL,
  archived_at          BIGINT       NOT NULL,
  archive_location     VARCHAR(1024)
);
