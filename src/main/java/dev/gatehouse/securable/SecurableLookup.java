package dev.gatehouse.securable;

import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Names;
import dev.gatehouse.db.ReadCaches;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Finds a securable from the (securable_type, full_name) pair that generic endpoints take. */
public class SecurableLookup {
  private final Jdbi jdbi;

  public SecurableLookup(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public static SecurableType parseType(String wire) {
    SecurableType type = SecurableType.fromWire(wire);
    if (type == null) {
      throw GatehouseException.invalid("Unknown securable type '" + wire + "'.");
    }
    return type;
  }

  /** The securable, or 404 with the same message a missing object of that type always gets. */
  public SecurableRow find(String wireType, String fullName) {
    SecurableType type = parseType(wireType);
    String normalized = normalize(type, fullName);
    return find(jdbi, type, normalized).orElseThrow(() -> GatehouseException.notFound(type.label(), normalized));
  }

  private record ByName(SecurableType type, String fullName) {}

  /** The securable of that type and normalized full name; served from the read caches in reads. */
  public static Optional<SecurableRow> find(Jdbi jdbi, SecurableType type, String fullName) {
    return ReadCaches.of(jdbi).get(new ByName(type, fullName),
        () -> jdbi.withHandle(h -> h.attach(SecurableDao.class).find(type, fullName)));
  }

  private static String normalize(SecurableType type, String fullName) {
    return switch (type) {
      case METASTORE -> "metastore".equalsIgnoreCase(fullName) || SecurableRow.METASTORE_ID.equals(fullName)
          ? "metastore" : fail(type, fullName);
      case CATALOG, CONNECTION -> String.join(".", Names.parseFullName("full_name", fullName, 1));
      case SCHEMA -> String.join(".", Names.parseFullName("full_name", fullName, 2));
      case TABLE, VOLUME, FUNCTION, REGISTERED_MODEL -> String.join(".", Names.parseFullName("full_name", fullName, 3));
      case MODEL_VERSION -> modelVersion(fullName);
    };
  }

  private static String modelVersion(String fullName) {
    int dot = fullName == null ? -1 : fullName.lastIndexOf('.');
    if (dot < 0 || !fullName.substring(dot + 1).matches("[1-9][0-9]{0,9}")) {
      throw GatehouseException.invalid("'full_name' of a model version is catalog.schema.model.N.");
    }
    return String.join(".", Names.parseFullName("full_name", fullName.substring(0, dot), 3))
        + fullName.substring(dot);
  }

  private static String fail(SecurableType type, String fullName) {
    throw GatehouseException.notFound(type.label(), fullName);
  }
}
