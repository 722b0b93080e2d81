package dev.gatehouse.testing;

import dev.gatehouse.common.Ids;
import dev.gatehouse.identity.PrincipalRow;
import dev.gatehouse.identity.PrincipalType;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;

/** Rows for DAO tests, with every field a test does not care about set to something valid. */
public final class Rows {
  private Rows() {}

  public static PrincipalRow principal(PrincipalType type, String name) {
    return new PrincipalRow(Ids.newId(), type, name, name + " display", null, null, null, true, 1_000, 1_000);
  }

  public static SecurableRow securable(SecurableType type, String parentId, String name, String fullName) {
    return new SecurableRow(Ids.newId(), type, parentId, name, fullName, "admin", null, null, null, null, 1_000,
        "admin", 1_000L, "admin");
  }

  public static SecurableRow catalog(String name) {
    return securable(SecurableType.CATALOG, SecurableRow.METASTORE_ID, name, name);
  }

  public static SecurableRow schema(SecurableRow catalog, String name) {
    return securable(SecurableType.SCHEMA, catalog.id(), name, catalog.fullName() + "." + name);
  }
}
