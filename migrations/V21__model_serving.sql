-- How a model version serves through the gateway (immutable with the version). The connection is
-- referenced by id, so renaming it keeps the link; a connection still named by a version cannot
-- be deleted (no cascade).
CREATE TABLE model_version_serving (
  version_id    VARCHAR(36)    NOT NULL PRIMARY KEY REFERENCES securables (id) ON DELETE CASCADE,
  connection_id VARCHAR(36)    NOT NULL REFERENCES securables (id),
  spec          VARCHAR(65536) NOT NULL
);
CREATE INDEX ix_model_version_serving_connection ON model_version_serving (connection_id);

-- How traffic to catalog.schema.model is split between aliases, and which aliases back it up.
CREATE TABLE model_serving_routes (
  model_id  VARCHAR(36)    NOT NULL PRIMARY KEY REFERENCES securables (id) ON DELETE CASCADE,
  routes    VARCHAR(65536),
  fallbacks VARCHAR(65536)
);
