-- Every usage record is costed when it is written, with the price it was costed at; unpriced
-- marks a call allowed to a model without a price (pricing.unpricedModels: allow).
ALTER TABLE usage_records ADD COLUMN cost_usd DECIMAL(20,10) DEFAULT 0 NOT NULL;
ALTER TABLE usage_records ADD COLUMN price_ref VARCHAR(512);
ALTER TABLE usage_records ADD COLUMN unpriced BOOLEAN DEFAULT FALSE NOT NULL;
-- The record's cost-attribution tags (JSON object) and its caller's groups at the time (JSON array),
-- as shown; the side tables below are what reports group by.
ALTER TABLE usage_records ADD COLUMN tags VARCHAR(4000);
ALTER TABLE usage_records ADD COLUMN group_names VARCHAR(4000);

CREATE TABLE usage_record_tags (
  record_id  VARCHAR(36)  NOT NULL,
  tag_key    VARCHAR(64)  NOT NULL,
  tag_value  VARCHAR(128) NOT NULL,
  PRIMARY KEY (record_id, tag_key)
);
CREATE INDEX ix_usage_tags_key ON usage_record_tags (tag_key, tag_value);

CREATE TABLE usage_record_groups (
  record_id  VARCHAR(36)  NOT NULL,
  group_name VARCHAR(255) NOT NULL,
  PRIMARY KEY (record_id, group_name)
);

-- Keyset pagination of records, newest first.
CREATE INDEX ix_usage_time_id ON usage_records (created_at, id);
