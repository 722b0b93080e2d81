package dev.gatehouse.access;

import dev.gatehouse.securable.SecurableType;
import org.apache.shiro.authz.Permission;

/**
 * A Shiro permission on one securable: {@code <PRIVILEGE>:<securable_type>:<full_name>}, for example
 * {@code SELECT:table:main.sales.orders} or {@code CREATE_CATALOG:metastore:metastore}. Parsed here
 * rather than by Shiro's WildcardPermission, which lower-cases and treats commas as lists; names are
 * matched as the catalog matches them (case-insensitively), privileges by their exact upper-case name.
 */
public record SecurablePermission(Privilege privilege, SecurableType type, String fullName) implements Permission {

  /** Parses the string form; null when it is not one. */
  public static SecurablePermission parse(String value) {
    String[] parts = value == null ? new String[0] : value.split(":", 3);
    if (parts.length != 3) {
      return null;
    }
    Privilege privilege = Privilege.parse(parts[0]);
    SecurableType type = SecurableType.fromWire(parts[1]);
    return privilege == null || type == null ? null : new SecurablePermission(privilege, type, parts[2]);
  }

  /** Decisions are made by {@link GrantAuthorizer}; a permission implies only itself. */
  @Override
  public boolean implies(Permission other) {
    return equals(other);
  }

  @Override
  public String toString() {
    return privilege.name() + ":" + type.wireName() + ":" + fullName;
  }
}
