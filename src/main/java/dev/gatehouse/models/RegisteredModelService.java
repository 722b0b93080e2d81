package dev.gatehouse.models;

import dev.gatehouse.access.AccessControl;
import dev.gatehouse.access.Privilege;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Ids;
import dev.gatehouse.common.Names;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.Owners;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Registered models: securables under a schema, owned by their creator. Deleting one that still
 * has versions needs force, and then takes its versions and aliases with it.
 */
public class RegisteredModelService {
  private final Jdbi jdbi;
  private final Clock clock;
  private final AccessControl access;
  private final ModelLocator locator;

  public RegisteredModelService(Jdbi jdbi, Clock clock, AccessControl access) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.access = access;
    this.locator = new ModelLocator(access);
  }

  /** The fields an update may set; null leaves a field as it is. */
  public record Change(String newName, String owner, String comment, ServingRoutes serving) {}

  public RegisteredModel create(Caller caller, String catalogName, String schemaName, String name, String comment,
      ServingRoutes serving) {
    String modelName = Names.normalize("name", name);
    String text = Names.comment(comment);
    ServingRoutes routes = serving == null ? null : ServingRoutes.validated(serving.routes(), serving.fallbacks());
    return jdbi.inTransaction(h -> {
      SecurableRow schema = ModelLocator.schema(h, catalogName, schemaName);
      access.require(caller, schema, Privilege.CREATE_MODEL);
      String fullName = schema.fullName() + "." + modelName;
      if (securables(h).find(SecurableType.REGISTERED_MODEL, fullName).isPresent()) {
        throw GatehouseException.alreadyExists(SecurableType.REGISTERED_MODEL.label(), fullName);
      }
      String id = Ids.newId();
      String base = storageBase(h, schema);
      long now = clock.millis();
      SecurableRow row = new SecurableRow(id, SecurableType.REGISTERED_MODEL, schema.id(), modelName, fullName,
          caller.name(), text, null, null, base == null ? null : base + "/models/" + id, now, caller.name(), now,
          caller.name());
      securables(h).insert(row);
      h.attach(RegisteredModelDao.class).insert(id);
      Serving.saveRoutes(h, id, routes);
      return new RegisteredModel(row, List.of(), Serving.routes(h, id));
    });
  }

  public RegisteredModel get(Caller caller, String fullName) {
    return jdbi.withHandle(h -> withAliases(h, locator.read(h, caller, fullName)));
  }

  public Page<RegisteredModel> list(Caller caller, String catalogName, String schemaName, PageRequest request) {
    if (catalogName == null || schemaName == null) {
      throw GatehouseException.invalid("'catalog_name' and 'schema_name' are required.");
    }
    SecurableRow schema = jdbi.withHandle(h -> ModelLocator.schema(h, catalogName, schemaName));
    Page<SecurableRow> page = access.listChildren(caller, schema, SecurableType.REGISTERED_MODEL, request);
    if (page.items().isEmpty()) {
      return page.map(row -> new RegisteredModel(row, List.of(), ServingRoutes.NONE));
    }
    Map<String, List<ModelAlias>> aliases = jdbi.withHandle(h -> h.attach(ModelAliasDao.class)
        .listByModels(page.items().stream().map(SecurableRow::id).toList()))
        .stream().collect(Collectors.groupingBy(ModelAlias::modelId));
    Map<String, ServingRoutes> routes = jdbi.withHandle(h -> Serving.routes(h,
        page.items().stream().map(SecurableRow::id).toList()));
    return page.map(row -> new RegisteredModel(row, aliases.getOrDefault(row.id(), List.of()),
        routes.getOrDefault(row.id(), ServingRoutes.NONE)));
  }

  public RegisteredModel update(Caller caller, String fullName, Change change) {
    ServingRoutes routes = change.serving() == null ? null
        : ServingRoutes.validated(change.serving().routes(), change.serving().fallbacks());
    return jdbi.inTransaction(h -> {
      SecurableRow model = locator.manage(h, caller, fullName);
      String name = model.name();
      String newFullName = model.fullName();
      if (change.newName() != null) {
        name = Names.normalize("new_name", change.newName());
        newFullName = model.fullName().substring(0, model.fullName().lastIndexOf('.') + 1) + name;
        if (!newFullName.equals(model.fullName())
            && securables(h).find(SecurableType.REGISTERED_MODEL, newFullName).isPresent()) {
          throw GatehouseException.alreadyExists(SecurableType.REGISTERED_MODEL.label(), newFullName);
        }
      }
      String owner = change.owner() == null ? model.owner() : Owners.resolve(h, change.owner());
      String comment = change.comment() == null ? model.comment() : Names.comment(change.comment());
      SecurableRow updated = model.withUpdate(name, newFullName, owner, comment, model.properties(), clock.millis(),
          caller.name());
      securables(h).update(updated);
      Serving.saveRoutes(h, model.id(), routes);
      if (!newFullName.equals(model.fullName())) {
        // versions are named catalog.schema.model.N and follow the model
        securables(h).renameDescendants(model.fullName() + ".", model.fullName().length() + 1, newFullName + ".");
      }
      return withAliases(h, updated);
    });
  }

  public void delete(Caller caller, String fullName, boolean force) {
    jdbi.useTransaction(h -> {
      SecurableRow model = locator.manage(h, caller, fullName);
      if (!force && securables(h).hasChildren(model.id())) {
        throw GatehouseException.conflict("Registered model '" + model.fullName()
            + "' has versions; delete them first or delete with force=true.");
      }
      // versions, registration details and aliases go through ON DELETE CASCADE
      securables(h).delete(model.id());
    });
  }

  private static RegisteredModel withAliases(Handle h, SecurableRow model) {
    return new RegisteredModel(model, h.attach(ModelAliasDao.class).listByModels(List.of(model.id())),
        Serving.routes(h, model.id()));
  }

  /**
   * Model files live under the schema's storage location, else the catalog's; none when neither
   * was given a storage root.
   */
  private static String storageBase(Handle h, SecurableRow schema) {
    if (schema.storageLocation() != null) {
      return schema.storageLocation();
    }
    return securables(h).findById(schema.parentId()).map(SecurableRow::storageLocation).orElse(null);
  }


  private static SecurableDao securables(Handle h) {
    return h.attach(SecurableDao.class);
  }
}
