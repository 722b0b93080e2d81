package dev.gatehouse.models;

import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The registered_models row of each model: its version counter, and the row lock that serializes
 * every write to the model, its versions and its aliases.
 */
public interface RegisteredModelDao {
  @SqlUpdate("INSERT INTO registered_models (id, last_version) VALUES (:id, 0)")
  void insert(@Bind("id") String id);

  /** Locks the model's row until the transaction ends; empty when the model is gone. */
  @SqlQuery("SELECT last_version FROM registered_models WHERE id = :id FOR UPDATE")
  Optional<Long> lock(@Bind("id") String id);

  @SqlUpdate("UPDATE registered_models SET last_version = last_version + 1 WHERE id = :id")
  int incrementLastVersion(@Bind("id") String id);

  @SqlQuery("SELECT last_version FROM registered_models WHERE id = :id")
  long lastVersion(@Bind("id") String id);

  /**
   * Allocates the next version number. Must run inside the caller's transaction: the UPDATE takes
   * the row lock, so concurrent creators wait and each reads back its own increment (no gaps, no
   * duplicates); empty when the model is gone.
   */
  default Optional<Long> nextVersion(String modelId) {
    if (incrementLastVersion(modelId) == 0) {
      return Optional.empty();
    }
    return Optional.of(lastVersion(modelId));
  }
}
