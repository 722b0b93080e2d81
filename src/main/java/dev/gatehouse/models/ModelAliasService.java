package dev.gatehouse.models;

import dev.gatehouse.access.AccessControl;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.SecurableRow;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Aliases name the version of a model that takes traffic ({@code champion}, {@code challenger}).
 * Each points to one READY version; a version may carry many. Setting one creates or moves it in one
 * transaction under the model's lock, so readers see the old version or the new, never none.
 */
public class ModelAliasService {
  /** Reserved so that {@code model@latest} can mean the newest version with no alias shadowing it. */
  static final String RESERVED = "latest";
  private static final Pattern ALIAS = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,254}");

  private final Jdbi jdbi;
  private final ModelLocator locator;

  public ModelAliasService(Jdbi jdbi, AccessControl access) {
    this.jdbi = jdbi;
    this.locator = new ModelLocator(access);
  }

  public ModelAlias set(Caller caller, String modelFullName, String alias, long versionNum) {
    String name = aliasName(alias);
    return jdbi.inTransaction(h -> {
      SecurableRow model = locator.manage(h, caller, modelFullName);
      ModelVersionRow version = ModelLocator.version(h, model, versionNum);
      if (version.status() != RegistrationStatus.READY) {
        throw GatehouseException.conflict("Model version '" + version.fullName() + "' is " + version.status()
            + "; only READY versions take an alias.");
      }
      ModelAlias row = new ModelAlias(model.id(), name, versionNum);
      ModelAliasDao aliases = h.attach(ModelAliasDao.class);
      AuditContext.current().target("registered_model", model.fullName());
      AuditContext.current().detail("before", aliases.find(model.id(), name).map(a -> Map.of("alias_name", name,
          "version_num", a.versionNum())).orElse(null));
      aliases.set(row);
      AuditContext.current().detail("after", Map.of("alias_name", name, "version_num", versionNum));
      return row;
    });
  }

  /** The version the alias points to, with all of that version's aliases. */
  public ModelVersion get(Caller caller, String modelFullName, String alias) {
    String name = aliasName(alias);
    return jdbi.withHandle(h -> {
      SecurableRow model = locator.execute(h, caller, modelFullName);
      ModelAlias row = h.attach(ModelAliasDao.class).find(model.id(), name)
          .orElseThrow(() -> notFound(model, name));
      return ModelVersionService.withAliases(h, ModelLocator.version(h, model, row.versionNum()));
    });
  }

  public void delete(Caller caller, String modelFullName, String alias) {
    String name = aliasName(alias);
    jdbi.useTransaction(h -> {
      SecurableRow model = locator.manage(h, caller, modelFullName);
      ModelAliasDao aliases = h.attach(ModelAliasDao.class);
      ModelAlias before = aliases.find(model.id(), name).orElseThrow(() -> notFound(model, name));
      AuditContext.current().target("registered_model", model.fullName());
      AuditContext.current().detail("before", Map.of("alias_name", name, "version_num", before.versionNum()));
      aliases.delete(model.id(), name);
    });
  }

  /** Validates an alias and returns it lower-cased: aliases are case-insensitive like all names. */
  static String aliasName(String alias) {
    if (alias == null || !ALIAS.matcher(alias).matches()) {
      throw GatehouseException.invalid("An alias must start with a letter and hold at most 255 letters, digits,"
          + " underscores or hyphens.");
    }
    String name = alias.toLowerCase(Locale.ROOT);
    if (name.equals(RESERVED)) {
      throw GatehouseException.invalid("The alias '" + RESERVED + "' is reserved.");
    }
    return name;
  }

  private static GatehouseException notFound(SecurableRow model, String alias) {
    return GatehouseException.notFound("Model alias", model.fullName() + "@" + alias);
  }
}
