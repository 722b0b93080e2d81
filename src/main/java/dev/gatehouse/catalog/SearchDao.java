package dev.gatehouse.catalog;

import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.mapper.Nested;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Search over the securables' names and comments, ranked, keyset-paged on (rank, full name, type). */
@RegisterConstructorMapper(SearchDao.Hit.class)
public interface SearchDao {
  /** Ranks: 0 name is the query, 1 name starts with it, 2 name contains it, 3 only the comment does. */
  record Hit(@Nested SecurableRow row, int matchRank) {}

  /**
   * One batch of matches after the cursor (rank, full name, type), exclusive; a null
   * {@code afterName} starts at the top. {@code q} is lower-case (names are stored lower-case);
   * POSITION rather than LIKE so that '_' and '%' in a query are plain characters.
   */
  @SqlQuery("SELECT * FROM (SELECT " + SecurableDao.COLUMNS + """
        , CASE WHEN name = :q THEN 0
               WHEN POSITION(:q IN name) = 1 THEN 1
               WHEN POSITION(:q IN name) > 0 THEN 2
               ELSE 3 END AS match_rank
      FROM securables s
      WHERE securable_type IN (<types>)
        AND (POSITION(:q IN name) > 0 OR POSITION(:q IN LOWER(comment)) > 0)
        AND (CAST(:tagKey AS VARCHAR(255)) IS NULL OR EXISTS (
          SELECT 1 FROM securable_tags t WHERE t.securable_id = s.id AND t.tag_key = :tagKey
            AND (CAST(:tagValue AS VARCHAR(1000)) IS NULL OR t.tag_value = :tagValue)))
      ) m
      WHERE CAST(:afterName AS VARCHAR(1024)) IS NULL
        OR (match_rank, full_name, securable_type) > (:afterRank, :afterName, :afterType)
      ORDER BY match_rank, full_name, securable_type
      LIMIT :limit""")
  List<Hit> search(@Bind("q") String q, @BindList("types") Collection<SecurableType> types,
      @Bind("tagKey") String tagKey, @Bind("tagValue") String tagValue, @Bind("afterRank") int afterRank,
      @Bind("afterName") String afterName, @Bind("afterType") String afterType, @Bind("limit") int limit);
}
