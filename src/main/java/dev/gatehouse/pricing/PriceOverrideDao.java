package dev.gatehouse.pricing;

import java.math.BigDecimal;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(PriceOverrideDao.Row.class)
public interface PriceOverrideDao {
  /** A stored override. */
  record Row(String entryKey, String connectionName, String provider, String upstreamModel,
      BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion,
      BigDecimal cacheWritePerMillion, long updatedAt, String updatedBy) {

    PriceEntry entry() {
      return new PriceEntry(connectionName, provider, upstreamModel, inputPerMillion, outputPerMillion,
          cachedInputPerMillion, cacheWritePerMillion, PriceEntry.OVERRIDE);
    }
  }

  @SqlQuery("SELECT entry_key, connection_name, provider, upstream_model, input_per_million, output_per_million,"
      + " cached_input_per_million, cache_write_per_million, updated_at, updated_by FROM price_overrides"
      + " ORDER BY entry_key")
  List<Row> all();

  @SqlUpdate("DELETE FROM price_overrides")
  int deleteAll();

  @SqlUpdate("""
      INSERT INTO price_overrides (entry_key, connection_name, provider, upstream_model, input_per_million,
        output_per_million, cached_input_per_million, cache_write_per_million, updated_at, updated_by)
      VALUES (:key, :e.connectionName, :e.provider, :e.upstreamModel, :e.input, :e.output, :e.cachedInput,
        :e.cacheWrite, :now, :by)
      """)
  void insert(@Bind("key") String key, @BindMethods("e") PriceEntry entry, @Bind("now") long now,
      @Bind("by") String by);
}
