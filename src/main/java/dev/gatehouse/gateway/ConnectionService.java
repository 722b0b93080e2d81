package dev.gatehouse.gateway;

import dev.gatehouse.db.ReadCaches;
import dev.gatehouse.access.AccessControl;
import dev.gatehouse.access.Privilege;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Ids;
import dev.gatehouse.common.JsonText;
import dev.gatehouse.common.Names;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.Owners;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Connections to LLM providers: securables under the metastore. Creating one needs CREATE_CONNECTION;
 * its api_key is write-only, sealed with the master key, answered only as a masked hint.
 */
public class ConnectionService {
  private final Jdbi jdbi;
  private final Clock clock;
  private final AccessControl access;
  private final SecretBox secrets;

  public ConnectionService(Jdbi jdbi, Clock clock, AccessControl access, SecretBox secrets) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.access = access;
    this.secrets = secrets;
  }

  /** A connection as shown: the securable and its details (never the secret). */
  public record View(SecurableRow securable, ConnectionRow details) {
    public ConnectionOptions options() {
      return new ConnectionOptions(JsonText.readStringMap(details.options()));
    }
  }

  /** A connection ready to call: its options and the opened api key (null when it has none). */
  public record Upstream(String name, ConnectionType type, ConnectionOptions options, String apiKey) {}

  public View create(Caller caller, String name, ConnectionType type, Map<String, String> options, String comment,
      Map<String, String> properties) {
    String normalized = Names.normalize("name", name);
    if (type == null) {
      throw GatehouseException.invalid("'connection_type' is required.");
    }
    AuditContext.current().target(SecurableType.CONNECTION.wireName(), normalized);
    Map<String, String> given = new HashMap<>(options == null ? Map.of() : options);
    String apiKey = given.remove(ConnectionOptions.API_KEY);
    ConnectionOptions validated = ConnectionOptions.validate(type, given);
    return jdbi.inTransaction(h -> {
      SecurableRow metastore = dao(h).findById(SecurableRow.METASTORE_ID).orElseThrow();
      access.require(caller, metastore, Privilege.CREATE_CONNECTION);
      if (dao(h).find(SecurableType.CONNECTION, normalized).isPresent()) {
        throw GatehouseException.alreadyExists("Connection", normalized);
      }
      long now = clock.millis();
      String id = Ids.newId();
      SecurableRow row = new SecurableRow(id, SecurableType.CONNECTION, SecurableRow.METASTORE_ID, normalized,
          normalized, caller.name(), Names.comment(comment), JsonText.write(properties), null, null, now,
          caller.name(), now, caller.name());
      dao(h).insert(row);
      ConnectionRow details = new ConnectionRow(id, type, JsonText.write(validated.values()),
          apiKey == null ? null : secrets.seal(apiKey, id), hint(apiKey));
      h.attach(ConnectionDao.class).insert(details);
      return new View(row, details);
    });
  }

  public View get(Caller caller, String name) {
    return jdbi.withHandle(h -> {
      SecurableRow row = require(h, name);
      access.requireRead(caller, row);
      return new View(row, h.attach(ConnectionDao.class).find(row.id()).orElseThrow());
    });
  }

  public Page<View> list(Caller caller, PageRequest page) {
    return jdbi.withHandle(h -> {
      SecurableRow metastore = dao(h).findById(SecurableRow.METASTORE_ID).orElseThrow();
      Page<SecurableRow> rows = access.listChildren(caller, metastore, SecurableType.CONNECTION, page);
      Map<String, ConnectionRow> details = rows.items().isEmpty() ? Map.of()
          : h.attach(ConnectionDao.class).findAll(rows.items().stream().map(SecurableRow::id).toList()).stream()
              .collect(Collectors.toMap(ConnectionRow::securableId, Function.identity()));
      return rows.map(r -> new View(r, details.get(r.id())));
    });
  }

  /** Options given are merged over the stored ones; an api_key given replaces the stored secret. */
  public View update(Caller caller, String name, Map<String, String> options, String newName, String owner,
      String comment) {
    return jdbi.inTransaction(h -> {
      SecurableRow row = require(h, name);
      access.requireManage(caller, row);
      ConnectionDao connections = h.attach(ConnectionDao.class);
      ConnectionRow details = connections.find(row.id()).orElseThrow();
      if (options != null) {
        Map<String, String> merged = new LinkedHashMap<>(JsonText.readStringMap(details.options()));
        Map<String, String> given = new HashMap<>(options);
        String apiKey = given.remove(ConnectionOptions.API_KEY);
        merged.putAll(given);
        ConnectionOptions validated = ConnectionOptions.validate(details.connectionType(), merged);
        details = new ConnectionRow(row.id(), details.connectionType(), JsonText.write(validated.values()),
            apiKey == null ? details.apiKeyCiphertext() : secrets.seal(apiKey, row.id()),
            apiKey == null ? details.apiKeyHint() : hint(apiKey));
        connections.update(details);
      }
      String newNormalized = newName == null ? row.name() : Names.normalize("new_name", newName);
      if (!newNormalized.equals(row.name()) && dao(h).find(SecurableType.CONNECTION, newNormalized).isPresent()) {
        throw GatehouseException.alreadyExists("Connection", newNormalized);
      }
      SecurableRow updated = row.withUpdate(newNormalized, newNormalized,
          owner == null ? row.owner() : Owners.resolve(h, owner),
          comment == null ? row.comment() : Names.comment(comment), row.properties(), clock.millis(), caller.name());
      dao(h).update(updated);
      return new View(updated, details);
    });
  }

  public void delete(Caller caller, String name) {
    jdbi.useTransaction(h -> {
      SecurableRow row = require(h, name);
      access.requireManage(caller, row);
      if (h.attach(ConnectionDao.class).servedBy(row.id())) {
        throw GatehouseException.conflict("Connection '" + row.name() + "' serves model versions; delete them first.");
      }
      dao(h).delete(row.id());
    });
  }

  /** The provider of a connection in pricing's terms (openai, anthropic, openai_compatible, mock), if it exists. */
  public java.util.Optional<String> providerOf(String name) {
    return jdbi.withHandle(h -> dao(h).find(SecurableType.CONNECTION, name)
        .flatMap(row -> h.attach(ConnectionDao.class).find(row.id()))
        .map(details -> details.connectionType().name().toLowerCase(java.util.Locale.ROOT)));
  }

  /** The connection a serving model version names, opened for a call. No access check: see callers. */
  public Upstream upstream(String name) {
    return ReadCaches.of(jdbi).get(new UpstreamOf(name), () -> jdbi.withHandle(h -> {
      SecurableRow row = require(h, name);
      ConnectionRow details = h.attach(ConnectionDao.class).find(row.id()).orElseThrow();
      String apiKey = details.apiKeyCiphertext() == null ? null : secrets.open(details.apiKeyCiphertext(), row.id());
      return new Upstream(row.name(), details.connectionType(),
          new ConnectionOptions(JsonText.readStringMap(details.options())), apiKey);
    }));
  }

  private record UpstreamOf(String name) {}

  /** A connection a model version may name: the caller holds USE_CONNECTION on it. Answers its id. */
  public String requireUse(Caller caller, String name) {
    SecurableRow row = jdbi.withHandle(h -> require(h, name));
    access.require(caller, row, Privilege.USE_CONNECTION);
    return row.id();
  }

  private static SecurableRow require(Handle h, String name) {
    String normalized = Names.normalize("name", name);
    AuditContext.current().checked(SecurableType.CONNECTION.wireName(), normalized);
    return dao(h).find(SecurableType.CONNECTION, normalized)
        .orElseThrow(() -> GatehouseException.notFound("Connection", normalized));
  }

  private static String hint(String apiKey) {
    if (apiKey == null) {
      return null;
    }
    return apiKey.length() <= 8 ? "****" : "****" + apiKey.substring(apiKey.length() - 4);
  }

  private static SecurableDao dao(Handle h) {
    return h.attach(SecurableDao.class);
  }
}
