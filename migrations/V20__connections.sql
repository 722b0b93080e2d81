-- A connection is a securable (type CONNECTION under the metastore); this holds what it connects
-- to. options is a JSON object of non-secret options; the provider API key is kept apart,
-- encrypted with AES-256-GCM under GATEHOUSE_MASTER_KEY (base64 of IV and ciphertext).
CREATE TABLE connection_details (
  securable_id       VARCHAR(36)   NOT NULL PRIMARY KEY REFERENCES securables (id) ON DELETE CASCADE,
  connection_type    VARCHAR(32)   NOT NULL,
  options            VARCHAR(65536) NOT NULL,
  api_key_ciphertext VARCHAR(4096),
  api_key_hint       VARCHAR(16)
);
