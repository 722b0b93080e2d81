-- Every securable (metastore, catalogs, schemas and, later, assets) is a row here, so that grants,
-- tags, search and lineage treat them alike. full_name is stored so that a lookup by name is one
-- index probe; children are found through (parent_id, securable_type, name), the listing order.
CREATE TABLE securables (
  id               VARCHAR(36)     NOT NULL PRIMARY KEY,
  securable_type   VARCHAR(32)     NOT NULL,
  parent_id        VARCHAR(36)     REFERENCES securables (id) ON DELETE CASCADE,
  name             VARCHAR(255)    NOT NULL,
  full_name        VARCHAR(1024)   NOT NULL,
  owner            VARCHAR(255)    NOT NULL,
  comment          VARCHAR(65535),
  properties       VARCHAR(1048576),
  storage_root     VARCHAR(4096),
  storage_location VARCHAR(4096),
  created_at       BIGINT          NOT NULL,
  created_by       VARCHAR(255)    NOT NULL,
  updated_at       BIGINT,
  updated_by       VARCHAR(255),
  CONSTRAINT ux_securables_type_full_name UNIQUE (securable_type, full_name)
);
CREATE INDEX ix_securables_children ON securables (parent_id, securable_type, name);

-- The metastore: the root every catalog hangs from, owned by the admins group.
INSERT INTO securables (id, securable_type, parent_id, name, full_name, owner, created_at, created_by)
VALUES ('00000000-0000-0000-0000-000000000001', 'METASTORE', NULL, 'metastore', 'metastore', 'admins', 0, 'system');
