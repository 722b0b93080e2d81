-- Registered models and their versions are securables (names, owner, comment, storage location and
-- times live in securables); these tables hold only what is particular to them, keyed by the
-- securable's id so that deleting the securable (or anything above it) removes them too.

-- last_version is the per-model counter versions are numbered from. Every write to a model, its
-- versions or its aliases first updates this row, so its row lock serializes them: numbers come out
-- 1, 2, 3 ... with no gaps or duplicates, and alias moves never interleave with version deletes.
CREATE TABLE registered_models (
  id           VARCHAR(36) NOT NULL PRIMARY KEY REFERENCES securables (id) ON DELETE CASCADE,
  last_version BIGINT      NOT NULL
);

-- A version's number is never reused: the counter only grows, even when versions are deleted.
CREATE TABLE model_versions (
  id       VARCHAR(36)   NOT NULL PRIMARY KEY REFERENCES securables (id) ON DELETE CASCADE,
  model_id VARCHAR(36)   NOT NULL REFERENCES securables (id) ON DELETE CASCADE,
  version  BIGINT        NOT NULL,
  status   VARCHAR(32)   NOT NULL,
  source   VARCHAR(4096) NOT NULL,
  run_id   VARCHAR(255),
  CONSTRAINT ux_model_versions_number UNIQUE (model_id, version)
);

-- One version per alias, many aliases per version. The foreign key to the version makes a dangling
-- alias impossible; the service refuses to delete an aliased version unless forced.
CREATE TABLE model_aliases (
  model_id    VARCHAR(36)  NOT NULL REFERENCES securables (id) ON DELETE CASCADE,
  alias_name  VARCHAR(255) NOT NULL,
  version_num BIGINT       NOT NULL,
  PRIMARY KEY (model_id, alias_name),
  CONSTRAINT fk_model_aliases_version FOREIGN KEY (model_id, version_num)
    REFERENCES model_versions (model_id, version) ON DELETE CASCADE
);
CREATE INDEX ix_model_aliases_version ON model_aliases (model_id, version_num);
