package dev.gatehouse.audit;

import dev.gatehouse.db.Dialects;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.jdbi.v3.sqlobject.SqlObject;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.postgresql.PGStatement;

@RegisterConstructorMapper(AuditEvent.class)
public interface AuditDao extends SqlObject {
  /** An event's own content: everything but its place in the chain. */
  String STAGED_COLUMNS = "event_id, event_time, request_id, actor_name, actor_type, api_key_id, source_ip,"
      + " user_agent, service, action_name, securable_type, full_name, request_params, details, status_code,"
      + " error_code";
  String COLUMNS = "seq, " + STAGED_COLUMNS + ", prev_hash, hash";
  /** An event's fields as bound by {@link #bindEvent}, in the order of {@link #COLUMNS}. */
  String VALUES = placeholders(AuditEvent.FIELDS);
  String INSERT = "INSERT INTO audit_events (" + COLUMNS + ") VALUES (" + VALUES + ")";
  /** Staged events have every field but the chain's three: seq, prev_hash and hash. */
  String STAGE = "INSERT INTO audit_pending (" + STAGED_COLUMNS + ") VALUES (" + placeholders(AuditEvent.FIELDS - 3)
      + ")";
  String ANY_STAGED = "SELECT 1 FROM audit_pending FETCH FIRST 1 ROWS ONLY";
  /** Staged events in the order they are linked: by event id, which is time-ordered. */
  String STAGED = "SELECT " + STAGED_COLUMNS + " FROM audit_pending ORDER BY event_id FETCH FIRST ? ROWS ONLY";
  /** The row lock is held until commit: linkers are serialized across instances. */
  String LOCK_HEAD = "SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE";
  String MOVE_HEAD = "UPDATE audit_chain_head SET last_seq = ?, last_hash = ? WHERE id = 1";
  /** Moves the head to an event (seq, hash) if the head is still its predecessor (seq - 1, prevHash). */
  String MOVE_HEAD_FROM = MOVE_HEAD + " AND last_seq = ? AND last_hash = ?";

  /** The chain's head: the last event's position and hash. */
  record Head(long lastSeq, String lastHash) {}

  @SqlQuery("SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1")
  @RegisterConstructorMapper(Head.class)
  Head head();

  /*
   * The statements of appending and linking are plain JDBC: they run for every audited change, and
   * Jdbi's binding of an event's fields by reflection took longer than the statements on H2.
   */

  /** Stages the event (its content, no place in the chain yet) in the caller's transaction. */
  static void stage(Connection connection, AuditEvent event) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(STAGE)) {
      bindStaged(insert, 0, event);
      insert.executeUpdate();
    }
  }

  static boolean anyStaged(Connection connection) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(ANY_STAGED); ResultSet any = query.executeQuery()) {
      return any.next();
    }
  }

  /** Locks the head until the transaction ends and reads it. */
  static Head lockHead(Connection connection) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(LOCK_HEAD); ResultSet head = query.executeQuery()) {
      if (!head.next()) {
        throw new IllegalStateException("The audit chain head is missing");
      }
      return new Head(head.getLong(1), head.getString(2));
    }
  }

  /**
   * Appends the event if the head is still the one it was linked to ({@code event.prevHash()} at
   * {@code event.seq() - 1}), and moves the head to it; false, and nothing written, if another writer
   * moved the head first. The head's row lock is taken here and held until commit; a writer waiting
   * on it re-checks the condition against the head its holder committed.
   */
  static boolean appendAtHead(Connection connection, AuditEvent event) throws SQLException {
    try (PreparedStatement move = connection.prepareStatement(MOVE_HEAD_FROM)) {
      move.setLong(1, event.seq());
      move.setString(2, event.hash());
      move.setLong(3, event.seq() - 1);
      move.setString(4, event.prevHash());
      if (move.executeUpdate() == 0) {
        return false;
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      bindEvent(insert, 0, event);
      insert.executeUpdate();
    }
    return true;
  }

  /** Up to {@code limit} staged events, in linking order, as drafts (no seq or hashes). */
  static List<AuditEvent> staged(Connection connection, int limit) throws SQLException {
    List<AuditEvent> drafts = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(STAGED)) {
      query.setInt(1, limit);
      try (ResultSet r = query.executeQuery()) {
        while (r.next()) {
          drafts.add(new AuditEvent(0, r.getString(1), r.getLong(2), r.getString(3), r.getString(4), r.getString(5),
              r.getString(6), r.getString(7), r.getString(8), r.getString(9), r.getString(10), r.getString(11),
              r.getString(12), r.getString(13), r.getString(14), r.getInt(15), r.getString(16), null, null));
        }
      }
    }
    return drafts;
  }

  /**
   * Appends linked events to the chain, removes them from the staging table and moves the head.
   * One multi-row statement each, not a batch of one per event: on PostgreSQL each statement of a
   * batch is still parsed, planned and run on its own.
   */
  static void link(Connection connection, List<AuditEvent> linked) throws SQLException {
    int n = linked.size();
    try (PreparedStatement insert = connection.prepareStatement(INSERT + (", (" + VALUES + ")").repeat(n - 1));
        PreparedStatement unstage = connection.prepareStatement("DELETE FROM audit_pending WHERE event_id IN ("
            + placeholders(n) + ")")) {
      int i = 0;
      for (AuditEvent e : linked) {
        bindEvent(insert, i * AuditEvent.FIELDS, e);
        unstage.setString(++i, e.eventId());
      }
      insert.executeUpdate();
      unstage.executeUpdate();
    }
    AuditEvent last = linked.get(n - 1);
    try (PreparedStatement move = connection.prepareStatement(MOVE_HEAD)) {
      move.setLong(1, last.seq());
      move.setString(2, last.hash());
      move.executeUpdate();
    }
  }

  /** {@code n} bind parameters, comma-separated. */
  static String placeholders(int n) {
    return "?, ".repeat(n - 1) + "?";
  }

  /** Binds the event's fields as {@link #VALUES} after the parameter {@code after}. */
  static void bindEvent(PreparedStatement s, int after, AuditEvent e) throws SQLException {
    s.setLong(after + 1, e.seq());
    int i = bindStaged(s, after + 1, e);
    s.setString(++i, e.prevHash());
    s.setString(++i, e.hash());
  }

  /** Binds the event's content as {@link #STAGED_COLUMNS} after the parameter {@code after}; answers the last. */
  private static int bindStaged(PreparedStatement s, int after, AuditEvent e) throws SQLException {
    int i = after;
    s.setString(++i, e.eventId());
    s.setLong(++i, e.eventTime());
    s.setString(++i, e.requestId());
    s.setString(++i, e.actorName());
    s.setString(++i, e.actorType());
    s.setString(++i, e.apiKeyId());
    s.setString(++i, e.sourceIp());
    s.setString(++i, e.userAgent());
    s.setString(++i, e.service());
    s.setString(++i, e.actionName());
    s.setString(++i, e.securableType());
    s.setString(++i, e.fullName());
    s.setString(++i, e.requestParams());
    s.setString(++i, e.details());
    s.setInt(++i, e.statusCode());
    s.setString(++i, e.errorCode());
    return i;
  }

  /** The chain in order, from just after {@code afterSeq}: verification walks it in batches. */
  @SqlQuery("SELECT " + COLUMNS + " FROM audit_events WHERE seq > :afterSeq ORDER BY seq LIMIT :limit")
  List<AuditEvent> chainAfter(@Bind("afterSeq") long afterSeq, @Bind("limit") int limit);

  record Anchor(long archivedThroughSeq, String anchorHash) {}

  @SqlQuery("SELECT archived_through_seq, anchor_hash FROM audit_anchors ORDER BY archived_through_seq DESC LIMIT 1")
  @RegisterConstructorMapper(Anchor.class)
  Optional<Anchor> latestAnchor();

  @SqlUpdate("INSERT INTO audit_anchors (archived_through_seq, anchor_hash, archived_count, archived_at,"
      + " archive_location) VALUES (:seq, :hash, :count, :now, :location)")
  void insertAnchor(@Bind("seq") long seq, @Bind("hash") String hash, @Bind("count") long count,
      @Bind("now") long now, @Bind("location") String location);

  @SqlQuery("SELECT max(seq) FROM audit_events WHERE event_time < :cutoff")
  Optional<Long> lastSeqBefore(@Bind("cutoff") long cutoff);

  @SqlUpdate("DELETE FROM audit_events WHERE seq <= :seq")
  int deleteThrough(@Bind("seq") long seq);

  /** Where a page continues: after the event with this time and seq, in newest-first order. */
  record Cursor(long eventTime, long seq) {}

  /**
   * How many of the newest events a prefix page on H2 scans before it turns to the prefix's own
   * events; see {@link #prefixPageOnH2}. At about half a microsecond an index entry, a few milliseconds.
   */
  int PREFIX_WINDOW = 20_000;

  /**
   * Events matching {@code filter}, newest first (by event_time, then seq), after {@code after}
   * (null for the first page). The WHERE clause is assembled from fixed fragments, one per filter
   * present; every value is bound, never written into the SQL.
   */
  default List<AuditEvent> page(AuditFilter filter, Cursor after, int limit) {
    List<AuditEvent> result = new ArrayList<>();
    if (limit > 0 && filter.fullNamePrefix() != null && leadColumn(filter) == null && !postgres()) {
      prefixPageOnH2(filter, after, limit, result);
    } else {
      stream(filter, after, limit, result::add);
    }
    return result;
  }

  /** Streams matching events newest first to {@code sink}, {@code limit} at most (0: all). */
  default void stream(AuditFilter filter, Cursor after, int limit, Consumer<AuditEvent> sink) {
    run("SELECT " + COLUMNS + " FROM audit_events WHERE " + where(filter, after, false)
        + " ORDER BY " + orderBy(filter) + (limit > 0 ? " LIMIT :limit" : ""), filter, after, null, limit, sink);
  }

  /**
   * H2 only. No index yields a full_name prefix's events (a catalog's, a schema's) newest first, and
   * H2, unlike PostgreSQL, does not weigh the LIMIT: it read and sorted every event under the prefix
   * (a catalog's 100,000 of 1,000,000 events: up to a second) to serve the newest 101. Instead, first
   * the newest {@link #PREFIX_WINDOW} events are walked in order on (event_time, seq, full_name),
   * reading a row only where the full_name in the index entry matches: a prefix with as much as one
   * event in two hundred fills its page there. Otherwise the prefix has few events, and only their keys
   * (full_name, event_time, seq: the index, no row) are sorted to find the page's rows.
   */
  private void prefixPageOnH2(AuditFilter filter, Cursor after, int limit, List<AuditEvent> result) {
    // The window's last event, on the (event_time, seq) order alone: the index entries, no row.
    Long windowStart = bind(getHandle().createQuery("SELECT event_time FROM audit_events WHERE "
            + where(filter, after, true) + " ORDER BY event_time DESC, seq DESC LIMIT 1 OFFSET :window"),
            filter, after, null, limit)
        .bind("window", PREFIX_WINDOW)
        .mapTo(Long.class)
        .findOne()
        .orElse(null);
    // A window that reaches the oldest event holds every match: its page is the page, full or not.
    run("SELECT " + COLUMNS + " FROM audit_events USE INDEX (ix_audit_time_seq_name) WHERE "
        + where(filter, after, false)
        + (windowStart == null ? "" : " AND event_time >= :windowStart")
        + " ORDER BY event_time DESC, seq DESC LIMIT :limit", filter, after, windowStart, limit, result::add);
    if (windowStart == null || result.size() == limit) {
      return;
    }
    result.clear();
    run("SELECT " + COLUMNS + " FROM audit_events WHERE seq IN (SELECT seq FROM audit_events WHERE "
        + where(filter, after, false) + " ORDER BY event_time DESC, seq DESC LIMIT :limit)"
        + " ORDER BY event_time DESC, seq DESC", filter, after, null, limit, result::add);
  }

  /** The cursor's and the filter's conditions (its time range alone if {@code timeOnly}), joined by AND. */
  private static String where(AuditFilter filter, Cursor after, boolean timeOnly) {
    List<String> where = new ArrayList<>();
    where.add("1 = 1");
    if (after != null) {
      // The first term alone is a range the indexes can seek to; the second excludes the ties already served.
      where.add("event_time <= :afterTime AND (event_time < :afterTime OR seq < :afterSeq)");
    }
    if (filter.from() != null) {
      where.add("event_time >= :from");
    }
    if (filter.to() != null) {
      where.add("event_time < :to");
    }
    if (timeOnly) {
      return String.join(" AND ", where);
    }
    if (filter.actor() != null) {
      where.add("actor_name = :actor");
    }
    if (filter.action() != null) {
      where.add("action_name = :action");
    }
    if (filter.service() != null) {
      where.add("service = :service");
    }
    if (filter.fullName() != null) {
      where.add("full_name = :fullName");
    }
    if (filter.fullNamePrefix() != null) {
      where.add("full_name LIKE :prefixPattern ESCAPE '\\'");
    }
    if (filter.statusFrom() != null) {
      where.add("status_code BETWEEN :statusFrom AND :statusTo");
    }
    return String.join(" AND ", where);
  }

  /** Runs one of the queries above, streaming its events to sink. */
  private void run(String sql, AuditFilter filter, Cursor after, Long windowStart, int limit,
      Consumer<AuditEvent> sink) {
    Query q = bind(getHandle().createQuery(sql), filter, after, windowStart, limit).setFetchSize(1000);
    try (var events = q.mapTo(AuditEvent.class).iterator()) {
      events.forEachRemaining(sink);
    }
  }

  /** Binds every value the queries above may name; each names only those of the filters given. */
  private static Query bind(Query q, AuditFilter filter, Cursor after, Long windowStart, int limit) {
    return q.bind("afterTime", after == null ? null : after.eventTime())
        .bind("afterSeq", after == null ? null : after.seq())
        .bind("actor", filter.actor())
        .bind("action", filter.action())
        .bind("service", filter.service())
        .bind("fullName", filter.fullName())
        .bind("prefixPattern", filter.fullNamePrefix() == null ? null : escapeLike(filter.fullNamePrefix()) + "%")
        .bind("statusFrom", filter.statusFrom())
        .bind("statusTo", filter.statusTo())
        .bind("from", filter.from())
        .bind("to", filter.to())
        .bind("windowStart", windowStart)
        .bind("limit", limit)
        .configure(SqlStatements.class, c -> c.setUnusedBindingAllowed(true))
        .addCustomizer(CUSTOM_PLANS);
  }

  private boolean postgres() {
    return Dialects.isPostgres(getHandle());
  }

  /**
   * Newest first is event_time DESC, seq DESC. Each equality filter has an index (column, event_time,
   * seq) that yields its events in that order. The filtered column is named first in the ORDER BY: it
   * is constant, so the order is unchanged, but H2 reads an index in order only when the ORDER BY
   * starts with the index's columns, and otherwise sorts every match before applying the LIMIT.
   * PostgreSQL ignores sort keys fixed by the WHERE clause. The most selective filter leads, as it is
   * the index both databases pick.
   */
  private static String orderBy(AuditFilter filter) {
    String lead = leadColumn(filter);
    return (lead == null ? "" : lead + " DESC, ") + "event_time DESC, seq DESC";
  }

  /** The column of the most selective equality filter given, whose index serves the query; or null. */
  private static String leadColumn(AuditFilter filter) {
    return filter.fullName() != null ? "full_name"
        : filter.actor() != null ? "actor_name"
        : filter.action() != null ? "action_name"
        : filter.service() != null ? "service"
        : null;
  }

  /**
   * Which filters are given, and how selective their values are (one actor has ten events, another a
   * hundred thousand; a time window can be anywhere in the history), varies from call to call. A plan
   * made once for any value can be far off for the next one: PostgreSQL's JDBC driver would prepare
   * the statement on the server after five uses, and the server then reuses a generic plan. This
   * plans every query for its own values; planning costs well under a millisecond.
   */
  StatementCustomizer CUSTOM_PLANS = new StatementCustomizer() {
    @Override
    public void beforeExecution(PreparedStatement stmt, StatementContext ctx) throws SQLException {
      if (stmt.isWrapperFor(PGStatement.class)) {
        stmt.unwrap(PGStatement.class).setPrepareThreshold(0);
      }
    }
  };

  private static String escapeLike(String value) {
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }
}
