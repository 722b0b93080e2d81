package dev.gatehouse.catalog;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** table_details: what only tables have; the rest of a table is its securables row. */
@RegisterConstructorMapper(TableDao.Detail.class)
public interface TableDao {
  /** {@code columnsJson} is the ColumnInfo list, {@code viewDependencies} a DependencyList, as JSON. */
  record Detail(String securableId, String tableType, String dataSourceFormat, String columnsJson,
      String viewDefinition, String viewDependencies) implements Assets.Detail {}

  @SqlUpdate("""
      INSERT INTO table_details (securable_id, table_type, data_source_format, columns_json, view_definition,
        view_dependencies)
      VALUES (:securableId, :tableType, :dataSourceFormat, :columnsJson, :viewDefinition, :viewDependencies)""")
  void insert(@BindMethods Detail detail);

  @SqlQuery("""
      SELECT securable_id, table_type, data_source_format, columns_json, view_definition, view_dependencies
      FROM table_details WHERE securable_id IN (<ids>)""")
  List<Detail> find(@BindList("ids") List<String> ids);
}
