-- A grant of one privilege on one securable to one principal (user, service principal or group).
-- catalog_id and schema_id name the catalog and schema the securable lies in (itself when it is
-- one), so that "does the caller hold anything beneath this container" is one index probe.
CREATE TABLE grants (
  securable_id VARCHAR(36)  NOT NULL REFERENCES securables (id) ON DELETE CASCADE,
  principal_id VARCHAR(36)  NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
  privilege    VARCHAR(32)  NOT NULL,
  catalog_id   VARCHAR(36),
  schema_id    VARCHAR(36),
  granted_at   BIGINT       NOT NULL,
  granted_by   VARCHAR(255) NOT NULL,
  PRIMARY KEY (securable_id, principal_id, privilege)
);
CREATE INDEX ix_grants_principal ON grants (principal_id, securable_id);
CREATE INDEX ix_grants_catalog ON grants (catalog_id, principal_id);
CREATE INDEX ix_grants_schema ON grants (schema_id, principal_id);

-- Owners see the containers of what they own: found through the owner.
CREATE INDEX ix_securables_owner ON securables (owner, parent_id);
