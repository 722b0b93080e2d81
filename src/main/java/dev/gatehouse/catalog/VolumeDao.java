package dev.gatehouse.catalog;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** volume_details: what only volumes have; the rest of a volume is its securables row. */
@RegisterConstructorMapper(VolumeDao.Detail.class)
public interface VolumeDao {
  record Detail(String securableId, String volumeType) implements Assets.Detail {}

  @SqlUpdate("INSERT INTO volume_details (securable_id, volume_type) VALUES (:securableId, :volumeType)")
  void insert(@BindMethods Detail detail);

  @SqlQuery("SELECT securable_id, volume_type FROM volume_details WHERE securable_id IN (<ids>)")
  List<Detail> find(@BindList("ids") List<String> ids);
}
