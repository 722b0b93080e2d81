-- Rate-limit rules of the gateway. scope_key (type:name[:member]) is unique: one rule per scope,
-- holding all of that scope's limits. limits is a JSON array of {kind, per, limit}. revision grows
-- on every change and is part of the bucket keys, so a changed rule counts afresh.
CREATE TABLE rate_limit_rules (
  id          VARCHAR(36)   NOT NULL PRIMARY KEY,
  scope_type  VARCHAR(16)   NOT NULL,
  scope_name  VARCHAR(1024),
  per_member  BOOLEAN       NOT NULL,
  scope_key   VARCHAR(1100) NOT NULL UNIQUE,
  limits      VARCHAR(4096) NOT NULL,
  revision    BIGINT        NOT NULL,
  created_at  BIGINT        NOT NULL,
  created_by  VARCHAR(255)  NOT NULL,
  updated_at  BIGINT        NOT NULL,
  updated_by  VARCHAR(255)  NOT NULL
);
