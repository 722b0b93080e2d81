package dev.gatehouse.identity;

import java.util.Collection;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlBatch;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** An API key's default cost-attribution tags. */
@RegisterConstructorMapper(ApiKeyTagDao.Tag.class)
public interface ApiKeyTagDao {
  record Tag(String keyId, String tagKey, String tagValue) {}

  @SqlBatch("INSERT INTO api_key_tags (key_id, tag_key, tag_value) VALUES (:keyId, :key, :value)")
  void insert(@Bind("keyId") String keyId, @Bind("key") List<String> keys, @Bind("value") List<String> values);

  @SqlQuery("SELECT key_id, tag_key, tag_value FROM api_key_tags WHERE key_id = :keyId ORDER BY tag_key")
  List<Tag> of(@Bind("keyId") String keyId);

  @SqlQuery("SELECT key_id, tag_key, tag_value FROM api_key_tags WHERE key_id IN (<keyIds>) ORDER BY key_id, tag_key")
  List<Tag> ofAll(@BindList("keyIds") Collection<String> keyIds);
}
