package dev.gatehouse.catalog;

import dev.gatehouse.api.model.ColumnTypeName;
import dev.gatehouse.api.model.DependencyList;
import dev.gatehouse.api.model.FunctionInfo;
import dev.gatehouse.api.model.FunctionParameterInfos;
import dev.gatehouse.api.model.ParameterStyle;
import dev.gatehouse.api.model.RoutineBody;
import dev.gatehouse.api.model.SecurityType;
import dev.gatehouse.api.model.SqlDataAccess;
import dev.gatehouse.catalog.Assets.Asset;
import dev.gatehouse.common.JsonText;
import dev.gatehouse.securable.SecurableRow;
import java.util.Map;

/** Stored functions to Unity Catalog's FunctionInfo. */
final class FunctionViews {
  private FunctionViews() {}

  static FunctionInfo function(Asset<FunctionDao.Detail> function, Map<String, String> tags) {
    SecurableRow r = function.row();
    FunctionDao.Detail d = function.detail();
    String[] parts = r.fullName().split("\\.");
    return new FunctionInfo()
        .functionId(r.id())
        .name(r.name())
        .catalogName(parts[0])
        .schemaName(parts[1])
        .fullName(r.fullName())
        .inputParams(JsonText.read(d.inputParams(), FunctionParameterInfos.class))
        .dataType(ColumnTypeName.fromValue(d.dataType()))
        .fullDataType(d.fullDataType())
        .returnParams(JsonText.read(d.returnParams(), FunctionParameterInfos.class))
        .routineBody(RoutineBody.fromValue(d.routineBody()))
        .routineDefinition(d.routineDefinition())
        .routineDependencies(JsonText.read(d.routineDependencies(), DependencyList.class))
        .parameterStyle(ParameterStyle.fromValue(d.parameterStyle()))
        .isDeterministic(d.isDeterministic())
        .sqlDataAccess(SqlDataAccess.fromValue(d.sqlDataAccess()))
        .isNullCall(d.isNullCall())
        .securityType(SecurityType.fromValue(d.securityType()))
        .specificName(d.specificName())
        .externalLanguage(d.externalLanguage())
        .comment(r.comment())
        .properties(r.properties())
        .owner(r.owner())
        .createdAt(r.createdAt())
        .createdBy(r.createdBy())
        .updatedAt(r.updatedAt())
        .updatedBy(r.updatedBy())
        .tags(tags);
  }
}
