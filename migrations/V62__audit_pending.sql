-- Events are staged here by the transaction of their change, and linked into the hash chain
-- (audit_events) right after it commits, in batches, by the chainer: appends no longer hold the
-- chain head's row lock until their commit, which ran every audited commit, WAL flush included, one
-- at a time. Same columns as audit_events, less the chain's (seq, prev_hash, hash).
CREATE TABLE audit_pending (
  event_id       VARCHAR(36)    NOT NULL PRIMARY KEY,
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
  error_code     VARCHAR(64)
);
