-- One row per inference request that reached the gateway's routing, success or failure: the
-- ledger that costs, limits and reports read.
CREATE TABLE usage_records (
  id                 VARCHAR(36)   NOT NULL PRIMARY KEY,
  request_id         VARCHAR(64)   NOT NULL,
  created_at         BIGINT        NOT NULL,
  principal_id       VARCHAR(36)   NOT NULL,
  principal_name     VARCHAR(255)  NOT NULL,
  api_key_id         VARCHAR(36),
  endpoint           VARCHAR(32)   NOT NULL,
  model_full_name    VARCHAR(1024) NOT NULL,
  model_version      BIGINT,
  alias              VARCHAR(255),
  connection_name    VARCHAR(255),
  provider           VARCHAR(32),
  upstream_model     VARCHAR(255),
  prompt_tokens      BIGINT        NOT NULL,
  completion_tokens  BIGINT        NOT NULL,
  cached_tokens      BIGINT        NOT NULL,
  cache_write_tokens BIGINT        NOT NULL,
  tokens_estimated   BOOLEAN       NOT NULL,
  latency_ms         BIGINT        NOT NULL,
  ttft_ms            BIGINT,
  status_code        INT           NOT NULL,
  error_type         VARCHAR(64),
  streamed           BOOLEAN       NOT NULL
);
CREATE INDEX ix_usage_time ON usage_records (created_at);
CREATE INDEX ix_usage_principal ON usage_records (principal_id, created_at);
CREATE INDEX ix_usage_model ON usage_records (model_full_name, created_at);
