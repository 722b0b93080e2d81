package dev.gatehouse.access;

import dev.gatehouse.securable.SecurableType;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Unity Catalog's privileges, with the securable types each may be granted on. */
public enum Privilege {
  CREATE_CATALOG(SecurableType.METASTORE),
  CREATE_CONNECTION(SecurableType.METASTORE),
  BROWSE(SecurableType.METASTORE, SecurableType.CATALOG, SecurableType.SCHEMA),
  AUDIT(SecurableType.METASTORE),
  USE_CATALOG(SecurableType.METASTORE, SecurableType.CATALOG),
  CREATE_SCHEMA(SecurableType.METASTORE, SecurableType.CATALOG),
  USE_SCHEMA(SecurableType.METASTORE, SecurableType.CATALOG, SecurableType.SCHEMA),
  CREATE_TABLE(SecurableType.METASTORE, SecurableType.CATALOG, SecurableType.SCHEMA),
  CREATE_VOLUME(SecurableType.METASTORE, SecurableType.CATALOG, SecurableType.SCHEMA),
  CREATE_FUNCTION(SecurableType.METASTORE, SecurableType.CATALOG, SecurableType.SCHEMA),
  CREATE_MODEL(SecurableType.METASTORE, SecurableType.CATALOG, SecurableType.SCHEMA),
  SELECT(SecurableType.METASTORE, SecurableType.CATALOG, SecurableType.SCHEMA, SecurableType.TABLE),
  MODIFY(SecurableType.METASTORE, SecurableType.CATALOG, SecurableType.SCHEMA, SecurableType.TABLE),
  READ_VOLUME(SecurableType.METASTORE, SecurableType.CATALOG, SecurableType.SCHEMA, SecurableType.VOLUME),
  WRITE_VOLUME(SecurableType.METASTORE, SecurableType.CATALOG, SecurableType.SCHEMA, SecurableType.VOLUME),
  EXECUTE(SecurableType.METASTORE, SecurableType.CATALOG, SecurableType.SCHEMA, SecurableType.FUNCTION,
      SecurableType.REGISTERED_MODEL),
  USE_CONNECTION(SecurableType.METASTORE, SecurableType.CONNECTION),
  APPLY_TAG(SecurableType.values()),
  MANAGE(SecurableType.values()),
  ALL_PRIVILEGES(SecurableType.values());

  private final Set<SecurableType> grantableOn;

  Privilege(SecurableType... grantableOn) {
    this.grantableOn = EnumSet.of(grantableOn[0], grantableOn);
  }

  /** Whether this privilege may be granted on a securable of {@code type} (itself or as a container). */
  public boolean grantableOn(SecurableType type) {
    return grantableOn.contains(type);
  }

  public static Privilege parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT).replace(' ', '_'));
    } catch (IllegalArgumentException | NullPointerException e) {
      return null;
    }
  }
}
