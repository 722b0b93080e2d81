package dev.gatehouse.catalog;

import static dev.gatehouse.testing.ApiAssertions.assertApiError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.api.CatalogsApi;
import dev.gatehouse.client.api.FunctionsApi;
import dev.gatehouse.client.api.SchemasApi;
import dev.gatehouse.client.model.ColumnTypeName;
import dev.gatehouse.client.model.CreateCatalog;
import dev.gatehouse.client.model.CreateFunction;
import dev.gatehouse.client.model.CreateFunctionRequest;
import dev.gatehouse.client.model.CreateSchema;
import dev.gatehouse.client.model.Dependency;
import dev.gatehouse.client.model.DependencyList;
import dev.gatehouse.client.model.FunctionInfo;
import dev.gatehouse.client.model.FunctionParameterInfo;
import dev.gatehouse.client.model.FunctionParameterInfos;
import dev.gatehouse.client.model.FunctionParameterMode;
import dev.gatehouse.client.model.FunctionParameterType;
import dev.gatehouse.client.model.ParameterStyle;
import dev.gatehouse.client.model.RoutineBody;
import dev.gatehouse.client.model.SecurityType;
import dev.gatehouse.client.model.SqlDataAccess;
import dev.gatehouse.client.model.TableDependency;
import dev.gatehouse.testing.TestServer;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FunctionApiTest {
  @RegisterExtension
  static final TestServer server = new TestServer();

  private final FunctionsApi functions = new FunctionsApi(server.admin());

  @BeforeAll
  static void schema() throws Exception {
    new CatalogsApi(server.admin()).createCatalog(new CreateCatalog().name("fc"));
    new SchemasApi(server.admin()).createSchema(new CreateSchema().catalogName("fc").name("s"));
  }

  static FunctionParameterInfo param(String name, int position) {
    return new FunctionParameterInfo().name(name).typeText("int").typeName(ColumnTypeName.INT)
        .typeJson("{\"name\":\"" + name + "\",\"type\":\"integer\",\"nullable\":true,\"metadata\":{}}")
        .position(position).parameterMode(FunctionParameterMode.IN).parameterType(FunctionParameterType.PARAM);
  }

  static CreateFunctionRequest sql(String name) {
    return new CreateFunctionRequest().functionInfo(new CreateFunction().name(name).catalogName("fc").schemaName("s")
        .inputParams(new FunctionParameterInfos().parameters(List.of(param("a", 0), param("b", 1))))
        .dataType(ColumnTypeName.INT).fullDataType("INT").routineBody(RoutineBody.SQL)
        .routineDefinition("a + b").parameterStyle(ParameterStyle.S).isDeterministic(true)
        .sqlDataAccess(SqlDataAccess.CONTAINS_SQL).isNullCall(false).securityType(SecurityType.DEFINER)
        .specificName(name));
  }

  @Test
  void createGetListDelete() throws Exception {
    CreateFunctionRequest request = sql("Add_Ints");
    request.getFunctionInfo().comment("adds").properties("{\"team\":\"math\"}")
        .routineDependencies(new DependencyList().dependencies(List.of(
            new Dependency().table(new TableDependency().tableFullName("fc.s.numbers")))));
    FunctionInfo created = functions.createFunction(request);
    assertThat(created.getName()).isEqualTo("add_ints");
    assertThat(created.getFullName()).isEqualTo("fc.s.add_ints");
    assertThat(created.getCatalogName()).isEqualTo("fc");
    assertThat(created.getSchemaName()).isEqualTo("s");
    assertThat(created.getFunctionId()).isNotBlank();
    assertThat(created.getInputParams().getParameters()).extracting(FunctionParameterInfo::getName)
        .containsExactly("a", "b");
    assertThat(created.getInputParams().getParameters().get(0).getParameterMode()).isEqualTo(FunctionParameterMode.IN);
    assertThat(created.getDataType()).isEqualTo(ColumnTypeName.INT);
    assertThat(created.getRoutineBody()).isEqualTo(RoutineBody.SQL);
    assertThat(created.getRoutineDefinition()).isEqualTo("a + b");
    assertThat(created.getIsDeterministic()).isTrue();
    assertThat(created.getIsNullCall()).isFalse();
    assertThat(created.getSqlDataAccess()).isEqualTo(SqlDataAccess.CONTAINS_SQL);
    assertThat(created.getSecurityType()).isEqualTo(SecurityType.DEFINER);
    assertThat(created.getParameterStyle()).isEqualTo(ParameterStyle.S);
    assertThat(created.getSpecificName()).isEqualTo("Add_Ints");
    assertThat(created.getProperties()).isEqualTo("{\"team\":\"math\"}");
    assertThat(created.getRoutineDependencies().getDependencies().get(0).getTable().getTableFullName())
        .isEqualTo("fc.s.numbers");
    assertThat(created.getOwner()).isEqualTo("admin");
    assertThat(created.getTags()).isEmpty();
    assertThat(functions.getFunction("FC.S.ADD_INTS")).isEqualTo(created);
    assertThat(functions.listFunctions("fc", "s", null, null).getFunctions()).contains(created);

    functions.deleteFunction("fc.s.add_ints");
    assertApiError(() -> functions.getFunction("fc.s.add_ints"), 404, "NOT_FOUND");
    assertApiError(() -> functions.deleteFunction("fc.s.add_ints"), 404, "NOT_FOUND");
  }

  @Test
  void externalFunctions() throws Exception {
    CreateFunctionRequest python = sql("py");
    python.getFunctionInfo().routineBody(RoutineBody.EXTERNAL).externalLanguage("python")
        .sqlDataAccess(SqlDataAccess.NO_SQL).routineDefinition("return a + b");
    assertThat(functions.createFunction(python).getExternalLanguage()).isEqualTo("python");

    CreateFunctionRequest noLanguage = sql("py2");
    noLanguage.getFunctionInfo().routineBody(RoutineBody.EXTERNAL).sqlDataAccess(SqlDataAccess.NO_SQL);
    assertApiError(() -> functions.createFunction(noLanguage), 400, "INVALID_ARGUMENT");
    CreateFunctionRequest readsSql = sql("py3");
    readsSql.getFunctionInfo().routineBody(RoutineBody.EXTERNAL).externalLanguage("python")
        .sqlDataAccess(SqlDataAccess.READS_SQL_DATA);
    assertApiError(() -> functions.createFunction(readsSql), 400, "INVALID_ARGUMENT");
  }

  @Test
  void errors() throws Exception {
    functions.createFunction(sql("dup"));
    assertApiError(() -> functions.createFunction(sql("DUP")), 409, "ALREADY_EXISTS");
    CreateFunctionRequest missingSchema = sql("f");
    missingSchema.getFunctionInfo().schemaName("missing");
    assertApiError(() -> functions.createFunction(missingSchema), 404, "NOT_FOUND");
    assertApiError(() -> functions.createFunction(sql("bad name")), 400, "INVALID_ARGUMENT");
    CreateFunctionRequest twice = sql("f");
    twice.getFunctionInfo().inputParams(new FunctionParameterInfos().parameters(List.of(param("a", 0), param("A", 1))));
    assertApiError(() -> functions.createFunction(twice), 400, "INVALID_ARGUMENT");
    CreateFunctionRequest badPosition = sql("f");
    badPosition.getFunctionInfo().inputParams(new FunctionParameterInfos().parameters(List.of(param("a", 3))));
    assertApiError(() -> functions.createFunction(badPosition), 400, "INVALID_ARGUMENT");
    CreateFunctionRequest badProperties = sql("f");
    badProperties.getFunctionInfo().properties("not json");
    assertApiError(() -> functions.createFunction(badProperties), 400, "INVALID_ARGUMENT");
    assertApiError(() -> functions.getFunction("fc.s.ghost"), 404, "NOT_FOUND");
    assertApiError(() -> functions.getFunction("fc"), 400, "INVALID_ARGUMENT");
    assertApiError(() -> functions.listFunctions("ghost", "s", null, null), 404, "NOT_FOUND");
    for (String body : List.of("{}", "{\"function_info\":{\"name\":\"f\",\"catalog_name\":\"fc\",\"schema_name\":\"s\"}}")) {
      var response = server.send(server.adminRequest("/api/2.1/unity-catalog/functions")
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
      assertThat(response.statusCode()).as(body).isEqualTo(400);
    }
  }
}
