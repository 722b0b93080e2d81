package dev.gatehouse.models;

import dev.gatehouse.access.AccessControl;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Ids;
import dev.gatehouse.common.Names;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Caller;
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
 * Model versions: numbered 1, 2, 3 ... per model from the model's counter, never reused. A version
 * is created PENDING_REGISTRATION and finalized once, to READY or FAILED_REGISTRATION; after that
 * only its comment may change.
 */
public class ModelVersionService {
  static final int MAX_SOURCE_LENGTH = 4096;
  static final int MAX_RUN_ID_LENGTH = 255;
  static final String FINAL_STATUS_REQUIRED = "'status' must be READY or FAILED_REGISTRATION.";

  private final Jdbi jdbi;
  private final Clock clock;
  private final ModelLocator locator;

  private final ConnectionCheck connections;

  public ModelVersionService(Jdbi jdbi, Clock clock, AccessControl access, ConnectionCheck connections) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.locator = new ModelLocator(access);
    this.connections = connections;
  }

  /** The fields of a new version. */
  public record NewVersion(String catalogName, String schemaName, String modelName, String source, String runId,
      String comment, ServingSpec serving) {}

  /** The fields an update may set; null leaves a field as it is. Source and run id only while pending. */
  public record Change(String comment, String source, String runId) {}

  public ModelVersion create(Caller caller, NewVersion request) {
    String modelFullName = String.join(".", Names.normalize("catalog_name", request.catalogName()),
        Names.normalize("schema_name", request.schemaName()), Names.normalize("model_name", request.modelName()));
    String source = source(request.source());
    String runId = runId(request.runId());
    String comment = Names.comment(request.comment());
    ServingSpec serving = request.serving() == null ? null : request.serving().validated();
    return jdbi.inTransaction(h -> {
      SecurableRow model = locator.manage(h, caller, modelFullName);
      long number = h.attach(RegisteredModelDao.class).nextVersion(model.id())
          .orElseThrow(() -> AccessControl.notFound(model));
      String id = Ids.newId();
      long now = clock.millis();
      String location = model.storageLocation() == null ? null : model.storageLocation() + "/versions/" + id;
      securables(h).insert(new SecurableRow(id, SecurableType.MODEL_VERSION, model.id(), Long.toString(number),
          model.fullName() + "." + number, caller.name(), comment, null, null, location, now, caller.name(), now,
          caller.name()));
      ModelVersionRow row = new ModelVersionRow(id, model.id(), number, model.fullName() + "." + number,
          RegistrationStatus.PENDING_REGISTRATION, source, runId, comment, location, now, caller.name(), now,
          caller.name());
      h.attach(ModelVersionDao.class).insert(row);
      if (serving != null) {
        String connectionId = connections.requireUse(caller, serving.connectionName());
        h.attach(ServingDao.class).insertSpec(id, connectionId, Serving.write(serving.withConnectionName(null)));
      }
      return new ModelVersion(row, List.of(), serving == null ? null : Serving.spec(h, id));
    });
  }

  public ModelVersion get(Caller caller, String modelFullName, long version) {
    return jdbi.withHandle(h -> withAliases(h,
        ModelLocator.version(h, locator.execute(h, caller, modelFullName), version)));
  }

  public Page<ModelVersion> list(Caller caller, String modelFullName, PageRequest request) {
    long after = afterVersion(request);
    return jdbi.inTransaction(h -> {
      SecurableRow model = locator.execute(h, caller, modelFullName);
      List<ModelVersionRow> rows = h.attach(ModelVersionDao.class).list(model.id(), after, request.fetchSize());
      Map<Long, List<ModelAlias>> aliases = h.attach(ModelAliasDao.class).listByModels(List.of(model.id()))
          .stream().collect(Collectors.groupingBy(ModelAlias::versionNum));
      Map<String, ServingSpec> specs = Serving.specs(h, rows.stream().map(ModelVersionRow::id).toList());
      return Page.of(rows, request, r -> Long.toString(r.version()))
          .map(r -> new ModelVersion(r, aliases.getOrDefault(r.version(), List.of()), specs.get(r.id())));
    });
  }

  public ModelVersion update(Caller caller, String modelFullName, long version, Change change) {
    return jdbi.inTransaction(h -> {
      SecurableRow model = locator.manage(h, caller, modelFullName);
      ModelVersionRow row = ModelLocator.version(h, model, version);
      if (row.status().isFinal() && (change.source() != null || change.runId() != null)) {
        throw GatehouseException.invalid("Model version '" + row.fullName() + "' is " + row.status()
            + "; only its comment may change.");
      }
      String comment = change.comment() == null ? row.comment() : Names.comment(change.comment());
      return save(h, caller, row, comment, row.withDetails(row.status(),
          change.source() == null ? row.source() : source(change.source()),
          change.runId() == null ? row.runId() : runId(change.runId())));
    });
  }

  /**
   * Ends the registration of a pending version. The body repeats the path's model and version, as
   * in Unity Catalog; {@code status} (an extension) is READY, the default when null, or
   * FAILED_REGISTRATION.
   */
  public ModelVersion finalizeVersion(Caller caller, String modelFullName, long version, String bodyFullName,
      long bodyVersion, RegistrationStatus status) {
    String pathName = String.join(".", Names.parseFullName("full_name", modelFullName, 3));
    if (!String.join(".", Names.parseFullName("full_name", bodyFullName, 3)).equals(pathName)
        || bodyVersion != version) {
      throw GatehouseException.invalid("'full_name' and 'version' must name the version of the path.");
    }
    RegistrationStatus outcome = status == null ? RegistrationStatus.READY : status;
    if (!outcome.isFinal()) {
      throw GatehouseException.invalid(FINAL_STATUS_REQUIRED);
    }
    return jdbi.inTransaction(h -> {
      SecurableRow model = locator.manage(h, caller, pathName);
      ModelVersionRow row = ModelLocator.version(h, model, version);
      if (row.status().isFinal()) {
        throw GatehouseException.conflict("Model version '" + row.fullName() + "' is already finalized ("
            + row.status() + ").");
      }
      return save(h, caller, row, row.comment(), row.withDetails(outcome, row.source(), row.runId()));
    });
  }

  /** Deletes a version; one that aliases point to only with force, which deletes those aliases. */
  public void delete(Caller caller, String modelFullName, long version, boolean force) {
    jdbi.useTransaction(h -> {
      SecurableRow model = locator.manage(h, caller, modelFullName);
      ModelVersionRow row = ModelLocator.version(h, model, version);
      ModelAliasDao aliases = h.attach(ModelAliasDao.class);
      List<ModelAlias> pointing = aliases.listByVersion(model.id(), version);
      if (!pointing.isEmpty() && !force) {
        throw GatehouseException.conflict("Model version '" + row.fullName() + "' has aliases "
            + pointing.stream().map(ModelAlias::aliasName).collect(Collectors.joining(", "))
            + "; move or delete them first, or delete with force=true.");
      }
      aliases.deleteByVersion(model.id(), version);
      securables(h).delete(row.id());
    });
  }

  /** Writes a version's comment (in securables) and registration details, and returns it as stored. */
  private ModelVersion save(Handle h, Caller caller, ModelVersionRow row, String comment, ModelVersionRow details) {
    SecurableRow securable = securables(h).findById(row.id()).orElseThrow();
    securables(h).update(securable.withUpdate(securable.name(), securable.fullName(), securable.owner(), comment,
        securable.properties(), clock.millis(), caller.name()));
    h.attach(ModelVersionDao.class).updateDetails(details);
    return withAliases(h, h.attach(ModelVersionDao.class).find(row.modelId(), row.version()).orElseThrow());
  }

  static ModelVersion withAliases(Handle h, ModelVersionRow row) {
    return new ModelVersion(row, h.attach(ModelAliasDao.class).listByVersion(row.modelId(), row.version()),
        Serving.spec(h, row.id()));
  }

  private static long afterVersion(PageRequest request) {
    if (request.after() == null) {
      return 0;
    }
    try {
      return Long.parseLong(request.after());
    } catch (NumberFormatException e) {
      throw GatehouseException.invalid("'page_token' is not a token this server issued.");
    }
  }

  private static String source(String source) {
    if (source == null || source.isBlank()) {
      throw GatehouseException.invalid("'source' is required.");
    }
    return bounded("source", source, MAX_SOURCE_LENGTH);
  }

  private static String runId(String runId) {
    return runId == null ? null : bounded("run_id", runId, MAX_RUN_ID_LENGTH);
  }

  private static String bounded(String field, String value, int max) {
    if (value.length() > max) {
      throw GatehouseException.invalid("'" + field + "' must be at most " + max + " characters.");
    }
    return value;
  }

  private static SecurableDao securables(Handle h) {
    return h.attach(SecurableDao.class);
  }
}
