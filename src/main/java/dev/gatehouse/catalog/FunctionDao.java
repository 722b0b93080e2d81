package dev.gatehouse.catalog;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** function_details: what only functions have; the rest of a function is its securables row. */
@RegisterConstructorMapper(FunctionDao.Detail.class)
public interface FunctionDao {
  String COLUMNS = """
      securable_id, data_type, full_data_type, routine_body, routine_definition, parameter_style,
      is_deterministic, sql_data_access, is_null_call, security_type, specific_name, external_language,
      input_params, return_params, routine_dependencies""";

  /** Enums as their wire names; the parameter lists and dependencies as their JSON documents. */
  record Detail(String securableId, String dataType, String fullDataType, String routineBody,
      String routineDefinition, String parameterStyle, boolean isDeterministic, String sqlDataAccess,
      boolean isNullCall, String securityType, String specificName, String externalLanguage, String inputParams,
      String returnParams, String routineDependencies) implements Assets.Detail {}

  @SqlUpdate("INSERT INTO function_details (" + COLUMNS + """
      ) VALUES (:securableId, :dataType, :fullDataType, :routineBody, :routineDefinition, :parameterStyle,
        :isDeterministic, :sqlDataAccess, :isNullCall, :securityType, :specificName, :externalLanguage,
        :inputParams, :returnParams, :routineDependencies)""")
  void insert(@BindMethods Detail detail);

  @SqlQuery("SELECT " + COLUMNS + " FROM function_details WHERE securable_id IN (<ids>)")
  List<Detail> find(@BindList("ids") List<String> ids);
}
