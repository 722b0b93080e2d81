-- Tables, volumes and functions are securables (name, owner, comment, properties, storage_location
-- live in securables); what only one kind has lives in a detail row keyed by the securable's id,
-- removed with it (and so with its schema or catalog on a forced delete).

-- columns_json holds the table's ColumnInfo list as JSON: it is always read and written whole, and one
-- row per table keeps a 1,000-table page at one indexed read.
CREATE TABLE table_details (
  securable_id       VARCHAR(36)      NOT NULL PRIMARY KEY REFERENCES securables (id) ON DELETE CASCADE,
  table_type         VARCHAR(32)      NOT NULL,
  data_source_format VARCHAR(32),
  columns_json       VARCHAR(1048576) NOT NULL,
  view_definition    VARCHAR(1048576),
  view_dependencies  VARCHAR(1048576)
);

CREATE TABLE volume_details (
  securable_id VARCHAR(36) NOT NULL PRIMARY KEY REFERENCES securables (id) ON DELETE CASCADE,
  volume_type  VARCHAR(16) NOT NULL
);

-- Scalars of FunctionInfo as columns; parameter lists and dependencies as their JSON documents.
CREATE TABLE function_details (
  securable_id         VARCHAR(36)      NOT NULL PRIMARY KEY REFERENCES securables (id) ON DELETE CASCADE,
  data_type            VARCHAR(32)      NOT NULL,
  full_data_type       VARCHAR(65535)   NOT NULL,
  routine_body         VARCHAR(16)      NOT NULL,
  routine_definition   VARCHAR(1048576) NOT NULL,
  parameter_style      VARCHAR(8)       NOT NULL,
  is_deterministic     BOOLEAN          NOT NULL,
  sql_data_access      VARCHAR(32)      NOT NULL,
  is_null_call         BOOLEAN          NOT NULL,
  security_type        VARCHAR(16)      NOT NULL,
  specific_name        VARCHAR(255)     NOT NULL,
  external_language    VARCHAR(255),
  input_params         VARCHAR(1048576) NOT NULL,
  return_params        VARCHAR(1048576),
  routine_dependencies VARCHAR(1048576)
);
