package dev.gatehouse.catalog;

import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.mapper.Nested;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.AllowUnusedBindings;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindList;
import org.jdbi.v3.sqlobject.customizer.Define;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Search over the securables' names and comments, ranked, keyset-paged on (rank, full name, type):
 * one query for the name ranks, one for comment-only matches, so that lower-casing every comment
 * (the costly part of a scan) is paid only when name matches do not fill the page. {@code q} is
 * lower-case (names are stored lower-case). POSITION decides, so that '_' and '%' in a query are
 * plain characters; the LIKE beside it matches a superset and is there for PostgreSQL's trigram
 * indexes (migrations/postgresql/V12), which it lets the planner start from. The tag filter, when there is one, is put in as {@link #TAG_FILTER}
 * (a fixed fragment, so that the planner can start from the tag index instead of scanning; an
 * "unless null" condition would keep it from that). Rows after the cursor only; a null
 * {@code afterName} starts at the top.
 */
@RegisterConstructorMapper(SearchDao.Hit.class)
@RegisterConstructorMapper(SearchIndex.Entry.class)
@RegisterConstructorMapper(SecurableRow.class)
public interface SearchDao {
  /** Ranks: 0 name is the query, 1 name starts with it, 2 name contains it, 3 only the comment does. */
  record Hit(@Nested SecurableRow row, int matchRank) {}

  int COMMENT_RANK = 3;

  String SELECT = "SELECT * FROM (SELECT " + SecurableDao.COLUMNS + ", ";
  String TAG_FILTER = """
      AND id IN (SELECT t.securable_id FROM securable_tags t WHERE t.tag_key = :tagKey
        AND (CAST(:tagValue AS VARCHAR(1000)) IS NULL OR t.tag_value = :tagValue))""";
  String FILTERS = """
        AND securable_type IN (<types>) <tagFilter>
      """;
  String AFTER_CURSOR = """
      ) m
      WHERE CAST(:afterName AS VARCHAR(1024)) IS NULL
        OR (match_rank, full_name, securable_type) > (:afterRank, :afterName, :afterType)
      ORDER BY match_rank, full_name, securable_type
      LIMIT :limit""";

  @SqlQuery(SELECT + """
      CASE WHEN name = :q THEN 0 WHEN POSITION(:q IN name) = 1 THEN 1 ELSE 2 END AS match_rank
      FROM securables WHERE POSITION(:q IN name) > 0 AND name LIKE '%' || :q || '%'
      """ + FILTERS + AFTER_CURSOR)
  @AllowUnusedBindings
  List<Hit> byName(@Bind("q") String q, @BindList("types") Collection<SecurableType> types,
      @Define("tagFilter") String tagFilter, @Bind("tagKey") String tagKey, @Bind("tagValue") String tagValue, @Bind("afterRank") int afterRank,
      @Bind("afterName") String afterName, @Bind("afterType") String afterType, @Bind("limit") int limit);

  @SqlQuery(SELECT + COMMENT_RANK + """
       AS match_rank
      FROM securables WHERE POSITION(:q IN name) = 0 AND POSITION(:q IN LOWER(comment)) > 0
        AND LOWER(comment) LIKE '%' || :q || '%'
      """ + FILTERS + AFTER_CURSOR)
  @AllowUnusedBindings
  List<Hit> byComment(@Bind("q") String q, @BindList("types") Collection<SecurableType> types,
      @Define("tagFilter") String tagFilter, @Bind("tagKey") String tagKey, @Bind("tagValue") String tagValue, @Bind("afterRank") int afterRank,
      @Bind("afterName") String afterName, @Bind("afterType") String afterType, @Bind("limit") int limit);

  /** What {@link SearchIndex} holds of every searchable securable. */
  @SqlQuery("SELECT id, securable_type AS type, name, full_name, LOWER(comment) AS comment_lower FROM securables"
      + " WHERE securable_type <> 'METASTORE'")
  List<SearchIndex.Entry> indexEntries();

  @SqlQuery("SELECT " + SecurableDao.COLUMNS + " FROM securables WHERE id IN (<ids>)")
  List<SecurableRow> byIds(@BindList("ids") Collection<String> ids);
}
