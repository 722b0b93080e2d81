package dev.gatehouse.models;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Aliases of registered models. Writers hold the model's lock ({@link RegisteredModelDao#lock}). */
@RegisterConstructorMapper(ModelAlias.class)
public interface ModelAliasDao {
  /** The aliases of several models in one query (a page of a listing), by model then name. */
  @SqlQuery("""
      SELECT model_id, alias_name, version_num FROM model_aliases
      WHERE model_id IN (<modelIds>) ORDER BY model_id, alias_name
      """)
  List<ModelAlias> listByModels(@BindList("modelIds") Collection<String> modelIds);

  @SqlQuery("""
      SELECT model_id, alias_name, version_num FROM model_aliases
      WHERE model_id = :modelId AND version_num = :version ORDER BY alias_name
      """)
  List<ModelAlias> listByVersion(@Bind("modelId") String modelId, @Bind("version") long version);

  @SqlQuery("SELECT model_id, alias_name, version_num FROM model_aliases WHERE model_id = :modelId AND alias_name = :alias")
  Optional<ModelAlias> find(@Bind("modelId") String modelId, @Bind("alias") String alias);

  @SqlUpdate("UPDATE model_aliases SET version_num = :versionNum WHERE model_id = :modelId AND alias_name = :aliasName")
  int move(@BindMethods ModelAlias alias);

  @SqlUpdate("INSERT INTO model_aliases (model_id, alias_name, version_num) VALUES (:modelId, :aliasName, :versionNum)")
  void insert(@BindMethods ModelAlias alias);

  /**
   * Creates or moves an alias. Portable upsert (H2 lacks ON CONFLICT DO UPDATE): update, else insert;
   * safe because the caller holds the model's lock, so no other writer can insert in between.
   */
  default void set(ModelAlias alias) {
    if (move(alias) == 0) {
      insert(alias);
    }
  }

  @SqlUpdate("DELETE FROM model_aliases WHERE model_id = :modelId AND alias_name = :alias")
  int delete(@Bind("modelId") String modelId, @Bind("alias") String alias);

  @SqlUpdate("DELETE FROM model_aliases WHERE model_id = :modelId AND version_num = :version")
  int deleteByVersion(@Bind("modelId") String modelId, @Bind("version") long version);
}
