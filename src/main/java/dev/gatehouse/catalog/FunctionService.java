package dev.gatehouse.catalog;

import dev.gatehouse.access.AccessControl;
import dev.gatehouse.access.Privilege;
import dev.gatehouse.api.model.CreateFunction;
import dev.gatehouse.api.model.FunctionParameterInfo;
import dev.gatehouse.api.model.FunctionParameterInfos;
import dev.gatehouse.api.model.RoutineBody;
import dev.gatehouse.api.model.SqlDataAccess;
import dev.gatehouse.catalog.Assets.Asset;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.JsonText;
import dev.gatehouse.common.Names;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.SecurableType;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * User-defined functions of a schema, as Unity Catalog describes them. The definition is stored as
 * given; Gatehouse does not run functions. The spec's rule for EXTERNAL routines is enforced: they
 * name their language, read no SQL data and return no table.
 */
public class FunctionService {
  private final Assets<FunctionDao.Detail> assets;

  public FunctionService(Jdbi jdbi, Clock clock, AccessControl access) {
    this.assets = new Assets<>(jdbi, clock, access, SecurableType.FUNCTION,
        (h, ids) -> h.attach(FunctionDao.class).find(ids), (h, detail) -> h.attach(FunctionDao.class).insert(detail));
  }

  public Asset<FunctionDao.Detail> create(Caller caller, CreateFunction f) {
    if (f == null) {
      throw GatehouseException.invalid("'function_info' is required.");
    }
    String name = Names.normalize("name", f.getName());
    checkParameters("input_params", f.getInputParams());
    checkParameters("return_params", f.getReturnParams());
    if (f.getRoutineBody() == RoutineBody.EXTERNAL) {
      Columns.require(f.getExternalLanguage() != null && !f.getExternalLanguage().isBlank(),
          "An EXTERNAL function needs an 'external_language'.");
      Columns.require(f.getSqlDataAccess() == SqlDataAccess.NO_SQL, "An EXTERNAL function's 'sql_data_access' is NO_SQL.");
      Columns.require(f.getReturnParams() == null, "An EXTERNAL function has no 'return_params'.");
    }
    Columns.require(f.getSpecificName().length() <= Names.MAX_NAME_LENGTH,
        "'specific_name' must be at most " + Names.MAX_NAME_LENGTH + " characters.");
    Columns.require(f.getExternalLanguage() == null || f.getExternalLanguage().length() <= Names.MAX_NAME_LENGTH,
        "'external_language' must be at most " + Names.MAX_NAME_LENGTH + " characters.");
    Columns.require(f.getFullDataType().length() <= Names.MAX_COMMENT_LENGTH,
        "'full_data_type' must be at most " + Names.MAX_COMMENT_LENGTH + " characters.");
    String properties = properties(f.getProperties());
    return assets.create(caller, f.getCatalogName(), f.getSchemaName(), Privilege.CREATE_FUNCTION, (h, schema, id) ->
        new Assets.Draft<>(new SecurableStore.NewRow(name, f.getComment(), properties, null, null),
            new FunctionDao.Detail(id, f.getDataType().toString(), f.getFullDataType(), f.getRoutineBody().toString(),
                f.getRoutineDefinition(), f.getParameterStyle().toString(), f.getIsDeterministic(),
                f.getSqlDataAccess().toString(), f.getIsNullCall(), f.getSecurityType().toString(), f.getSpecificName(),
                f.getExternalLanguage(), JsonText.write(f.getInputParams()), JsonText.write(f.getReturnParams()),
                JsonText.write(f.getRoutineDependencies()))));
  }

  public Asset<FunctionDao.Detail> get(Caller caller, String fullName) {
    return assets.get(caller, fullName);
  }

  public Page<Asset<FunctionDao.Detail>> list(Caller caller, String catalogName, String schemaName, PageRequest page) {
    return assets.list(caller, catalogName, schemaName, page);
  }

  public void delete(Caller caller, String fullName) {
    assets.delete(caller, fullName);
  }

  private static void checkParameters(String field, FunctionParameterInfos params) {
    if (params != null && params.getParameters() != null) {
      Columns.checkNamesAndPositions(field, params.getParameters(), FunctionParameterInfo::getName,
          FunctionParameterInfo::getPosition);
    }
  }

  /** The spec sends properties as a JSON object encoded in a string; kept like any securable's. */
  private static String properties(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      return Properties.toJson(JsonText.readStringMap(json));
    } catch (UncheckedIOException e) {
      throw GatehouseException.invalid("'properties' must be a JSON object of string values, encoded as a string.");
    }
  }
}
