package dev.gatehouse.models;

import dev.gatehouse.securable.SecurableRow;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/** Serving specs of versions and serving routes of models. */
public interface ServingDao {
  /** A version's stored spec with the connection's current name. */
  record SpecRow(String versionId, String connectionId, String connectionName, String spec) {}

  record RoutesRow(String modelId, String routes, String fallbacks) {}

  @SqlUpdate("INSERT INTO model_version_serving (version_id, connection_id, spec) VALUES (:versionId, :connectionId, :spec)")
  void insertSpec(@Bind("versionId") String versionId, @Bind("connectionId") String connectionId,
      @Bind("spec") String spec);

  @SqlQuery("""
      SELECT v.version_id, v.connection_id, c.name AS connection_name, v.spec
      FROM model_version_serving v JOIN securables c ON c.id = v.connection_id
      WHERE v.version_id IN (<ids>)
      """)
  @RegisterConstructorMapper(SpecRow.class)
  List<SpecRow> specs(@BindList("ids") Collection<String> versionIds);

  @SqlQuery("""
      SELECT DISTINCT m.id, m.securable_type, m.parent_id, m.name, m.full_name, m.owner, m.comment, m.properties,
             m.storage_root, m.storage_location, m.created_at, m.created_by, m.updated_at, m.updated_by
      FROM model_version_serving s
      JOIN model_versions v ON v.id = s.version_id
      JOIN securables m ON m.id = v.model_id
      WHERE v.status = 'READY'
      ORDER BY m.full_name
      """)
  @RegisterConstructorMapper(SecurableRow.class)
  List<SecurableRow> servingModels();

  @SqlQuery("SELECT model_id, routes, fallbacks FROM model_serving_routes WHERE model_id IN (<ids>)")
  @RegisterConstructorMapper(RoutesRow.class)
  List<RoutesRow> routes(@BindList("ids") Collection<String> modelIds);

  default Optional<RoutesRow> routes(String modelId) {
    return routes(List.of(modelId)).stream().findFirst();
  }

  @SqlUpdate("DELETE FROM model_serving_routes WHERE model_id = :modelId")
  void deleteRoutes(@Bind("modelId") String modelId);

  @SqlUpdate("INSERT INTO model_serving_routes (model_id, routes, fallbacks) VALUES (:modelId, :routes, :fallbacks)")
  void insertRoutes(@Bind("modelId") String modelId, @Bind("routes") String routes, @Bind("fallbacks") String fallbacks);

  @Transaction
  default void replaceRoutes(String modelId, String routes, String fallbacks) {
    deleteRoutes(modelId);
    insertRoutes(modelId, routes, fallbacks);
  }
}
