package dev.gatehouse.models;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Registration details of model versions (the rest is in securables). Versions are listed by their
 * number, not by securables.name, whose text order puts 10 before 9.
 */
@RegisterConstructorMapper(ModelVersionRow.class)
public interface ModelVersionDao {
  String SELECT = """
      SELECT s.id, v.model_id, v.version, s.full_name, v.status, v.source, v.run_id, s.comment,
             s.storage_location, s.created_at, s.created_by, s.updated_at, s.updated_by
      FROM model_versions v JOIN securables s ON s.id = v.id
      """;

  @SqlUpdate("""
      INSERT INTO model_versions (id, model_id, version, status, source, run_id)
      VALUES (:id, :modelId, :version, :status, :source, :runId)
      """)
  void insert(@BindMethods ModelVersionRow row);

  @SqlQuery(SELECT + "WHERE v.model_id = :modelId AND v.version = :version")
  Optional<ModelVersionRow> find(@Bind("modelId") String modelId, @Bind("version") long version);

  /** One page of a model's versions in number order, after version {@code after} (exclusive). */
  @SqlQuery(SELECT + "WHERE v.model_id = :modelId AND v.version > :after ORDER BY v.version LIMIT :limit")
  List<ModelVersionRow> list(@Bind("modelId") String modelId, @Bind("after") long after, @Bind("limit") int limit);

  @SqlUpdate("UPDATE model_versions SET status = :status, source = :source, run_id = :runId WHERE id = :id")
  int updateDetails(@BindMethods ModelVersionRow row);
}
