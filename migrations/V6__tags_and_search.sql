-- Tags on any securable: one row per (securable, key). Removed with the securable.
CREATE TABLE securable_tags (
  securable_id VARCHAR(36)   NOT NULL REFERENCES securables (id) ON DELETE CASCADE,
  tag_key      VARCHAR(255)  NOT NULL,
  tag_value    VARCHAR(1000) NOT NULL,
  PRIMARY KEY (securable_id, tag_key)
);
-- Search filters by tag=key[:value]: find the securables carrying a tag without a scan.
CREATE INDEX ix_securable_tags_key_value ON securable_tags (tag_key, tag_value);
