package dev.gatehouse.catalog;

import java.util.Collection;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** securable_tags: one row per (securable, key). */
@RegisterConstructorMapper(TagDao.Tag.class)
public interface TagDao {
  record Tag(String securableId, String tagKey, String tagValue) {}

  @SqlQuery("SELECT securable_id, tag_key, tag_value FROM securable_tags WHERE securable_id IN (<ids>) ORDER BY tag_key")
  List<Tag> find(@BindList("ids") Collection<String> ids);

  @SqlUpdate("DELETE FROM securable_tags WHERE securable_id = :id AND tag_key IN (<keys>)")
  int delete(@Bind("id") String securableId, @BindList("keys") Collection<String> keys);

  @SqlBatch("INSERT INTO securable_tags (securable_id, tag_key, tag_value) VALUES (:id, :key, :value)")
  void insert(@Bind("id") String securableId, @Bind("key") List<String> keys, @Bind("value") List<String> values);

  @SqlQuery("SELECT count(*) FROM securable_tags WHERE securable_id = :id")
  int count(@Bind("id") String securableId);
}
