package dev.gatehouse.catalog;

/** The kinds of securable, as stored in securables.securable_type. */
public enum SecurableType {
  METASTORE,
  CATALOG,
  SCHEMA
}
