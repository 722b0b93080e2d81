package dev.gatehouse.gateway;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(ConnectionRow.class)
public interface ConnectionDao {
  String COLUMNS = "securable_id, connection_type, options, api_key_ciphertext, api_key_hint";

  @SqlUpdate("INSERT INTO connection_details (" + COLUMNS + ")"
      + " VALUES (:securableId, :connectionType, :options, :apiKeyCiphertext, :apiKeyHint)")
  void insert(@BindMethods ConnectionRow row);

  @SqlUpdate("UPDATE connection_details SET options = :options, api_key_ciphertext = :apiKeyCiphertext,"
      + " api_key_hint = :apiKeyHint WHERE securable_id = :securableId")
  void update(@BindMethods ConnectionRow row);

  @SqlQuery("SELECT " + COLUMNS + " FROM connection_details WHERE securable_id = :id")
  Optional<ConnectionRow> find(@Bind("id") String securableId);

  @SqlQuery("SELECT count(*) > 0 FROM model_version_serving WHERE connection_id = :id")
  boolean servedBy(@Bind("id") String securableId);

  @SqlQuery("SELECT " + COLUMNS + " FROM connection_details WHERE securable_id IN (<ids>)")
  List<ConnectionRow> findAll(@BindList("ids") Collection<String> securableIds);
}
