-- Principals: users, service principals and groups share one namespace of names, because a grant
-- or an owner names any of them. name_key is the lower-cased name that uniqueness is checked on.
CREATE TABLE principals (
  id             VARCHAR(36)  NOT NULL PRIMARY KEY,
  principal_type VARCHAR(20)  NOT NULL,
  name           VARCHAR(255) NOT NULL,
  name_key       VARCHAR(255) NOT NULL,
  display_name   VARCHAR(255),
  email          VARCHAR(320),
  application_id VARCHAR(64),
  external_id    VARCHAR(255),
  active         BOOLEAN      NOT NULL,
  created_at     BIGINT       NOT NULL,
  updated_at     BIGINT       NOT NULL,
  CONSTRAINT ux_principals_name_key UNIQUE (name_key)
);
CREATE INDEX ix_principals_type_name ON principals (principal_type, name_key);

-- Direct membership; transitive membership is computed with a recursive query.
CREATE TABLE group_members (
  group_id  VARCHAR(36) NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
  member_id VARCHAR(36) NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, member_id)
);
CREATE INDEX ix_group_members_member ON group_members (member_id);

-- API keys are stored as the SHA-256 of the key (256 random bits, so a slow hash adds nothing);
-- prefix is the key's first 12 characters, unique, used to find the row before the hash compare.
CREATE TABLE api_keys (
  id           VARCHAR(36)  NOT NULL PRIMARY KEY,
  principal_id VARCHAR(36)  NOT NULL REFERENCES principals (id) ON DELETE CASCADE,
  name         VARCHAR(255) NOT NULL,
  prefix       VARCHAR(16)  NOT NULL,
  secret_hash  VARCHAR(64)  NOT NULL,
  created_at   BIGINT       NOT NULL,
  created_by   VARCHAR(255) NOT NULL,
  expires_at   BIGINT,
  revoked_at   BIGINT,
  last_used_at BIGINT,
  CONSTRAINT ux_api_keys_prefix UNIQUE (prefix)
);
CREATE INDEX ix_api_keys_principal ON api_keys (principal_id, id);
