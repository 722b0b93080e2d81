package dev.gatehouse.lineage;

import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Names;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * Maps an OpenLineage dataset (namespace, name) to a node: the first configured namespace rule whose
 * namespace matches rewrites the name, then (by default) the name itself is tried as a securable's
 * full name; what matches nothing is an external dataset. A three-part name is a table (or, as an
 * input, a volume); a four-part name ending in a number is a model version.
 */
final class DatasetMapper {
  private final LineageConfig config;

  DatasetMapper(LineageConfig config) {
    this.config = config;
  }

  Node map(Handle h, String namespace, String name, boolean output) {
    LineageEdges.text("namespace", namespace, LineageEdges.MAX_NAMESPACE_LENGTH, true);
    LineageEdges.text("name", name, LineageEdges.MAX_NAME_LENGTH, true);
    for (LineageConfig.NamespaceRule rule : config.getNamespaces()) {
      if (rule.matches(namespace)) {
        Optional<SecurableRow> found = securable(h, rule.apply(name), output);
        if (found.isPresent()) {
          return Node.of(found.get());
        }
        break;
      }
    }
    if (config.isMatchFullNames()) {
      Optional<SecurableRow> found = securable(h, name, output);
      if (found.isPresent()) {
        return Node.of(found.get());
      }
    }
    return Node.external(namespace, name);
  }

  private static Optional<SecurableRow> securable(Handle h, String candidate, boolean output) {
    String[] parts = candidate.split("\\.", -1);
    SecurableDao dao = h.attach(SecurableDao.class);
    if (parts.length == 3 && valid(parts)) {
      String fullName = String.join(".", parts);
      Optional<SecurableRow> table = dao.find(SecurableType.TABLE, fullName);
      return table.isPresent() || output ? table : dao.find(SecurableType.VOLUME, fullName);
    }
    if (parts.length == 4 && parts[3].matches("[1-9][0-9]{0,9}")
        && valid(new String[] {parts[0], parts[1], parts[2]})) {
      return dao.find(SecurableType.MODEL_VERSION, String.join(".", parts));
    }
    return Optional.empty();
  }

  /** Lower-cases the parts in place; false when one is not a valid securable name. */
  private static boolean valid(String[] parts) {
    try {
      for (int i = 0; i < parts.length; i++) {
        parts[i] = Names.normalize("name", parts[i]);
      }
      return true;
    } catch (GatehouseException e) {
      return false;
    }
  }
}
