-- PostgreSQL only: the token buckets of the rate limits, shared by every instance on this database
-- (Bucket4j's PostgreSQL proxy manager: id, serialized state, and the epoch millisecond after which
-- an idle bucket is full again and may be removed). H2 is single-instance and keeps buckets in memory.
CREATE TABLE rate_limit_buckets (
  id         VARCHAR(1280) NOT NULL PRIMARY KEY,
  state      BYTEA,
  expires_at BIGINT
);
CREATE INDEX ix_rate_limit_buckets_expiry ON rate_limit_buckets (expires_at);
