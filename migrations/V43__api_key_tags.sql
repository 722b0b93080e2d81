-- Default cost-attribution tags of an API key: every usage record of a call made with the key
-- carries them, unless the request's x-gatehouse-tags header sets the same tag key.
CREATE TABLE api_key_tags (
  key_id    VARCHAR(36)  NOT NULL,
  tag_key   VARCHAR(64)  NOT NULL,
  tag_value VARCHAR(128) NOT NULL,
  PRIMARY KEY (key_id, tag_key),
  FOREIGN KEY (key_id) REFERENCES api_keys (id) ON DELETE CASCADE
);
