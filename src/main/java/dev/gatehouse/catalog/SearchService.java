package dev.gatehouse.catalog;

import dev.gatehouse.access.AccessControl;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.db.ReadCaches;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;

/**
 * Finds securables by name and comment across the metastore: exact names first, then prefixes,
 * then names containing the query, then comments containing it; full-name order within a rank.
 * Pages hold only what the caller may see and stay full: invisible matches are skipped and more
 * are read until the page is full or the matches run out.
 */
public class SearchService {
  public static final int MAX_QUERY_LENGTH = 255;
  private static final Set<SecurableType> SEARCHABLE = EnumSet.complementOf(EnumSet.of(SecurableType.METASTORE));

  /** How a result matched the query, in rank order. */
  public enum Match { EXACT, PREFIX, SUBSTRING, COMMENT }

  /** A visible securable and how it matched (null when no query text was given). */
  public record Result(SecurableRow row, Match match) {}

  /** Whether a caller may see a securable; search asks it of every match it would show. */
  @FunctionalInterface
  interface Visibility {
    boolean isVisible(Caller caller, SecurableRow row);
  }

  /** The position after the last result served: rank, full name, type. */
  record Cursor(int rank, String fullName, SecurableType type) {
    String encode() {
      return rank + "\n" + type.name() + "\n" + fullName;
    }

    static Cursor decode(String after) {
      if (after == null) {
        return null;
      }
      String[] parts = after.split("\n", 3);
      try {
        SecurableType type = parts.length == 3 ? SecurableType.valueOf(parts[1]) : null;
        int rank = Integer.parseInt(parts[0]);
        if (type != null && rank >= 0 && rank < Match.values().length) {
          return new Cursor(rank, parts[2], type);
        }
      } catch (IllegalArgumentException e) {
        // falls through to the one answer for any token we did not issue
      }
      throw GatehouseException.invalid("'page_token' is not a token this server issued.");
    }
  }

  private final Jdbi jdbi;
  private final Visibility visibility;
  /** H2: searches without a tag filter go through {@link SearchIndex}, kept per change epoch. */
  private final boolean inMemory;
  private final AtomicReference<SearchIndex> index = new AtomicReference<>();

  public SearchService(Jdbi jdbi, AccessControl access, boolean inMemory) {
    this(jdbi, access::isVisible, inMemory);
  }

  SearchService(Jdbi jdbi, Visibility visibility, boolean inMemory) {
    this.jdbi = jdbi;
    this.visibility = visibility;
    this.inMemory = inMemory;
  }

  /**
   * @param q text to look for, any case; null or blank matches everything
   * @param securableType a wire type name to keep to, or null for all
   * @param tag {@code key} or {@code key:value} that results must carry, or null
   */
  public Page<Result> search(Caller caller, String q, String securableType, String tag, PageRequest page) {
    String text = q == null ? "" : q.strip().toLowerCase(Locale.ROOT);
    if (text.length() > MAX_QUERY_LENGTH) {
      throw GatehouseException.invalid("'q' must be at most " + MAX_QUERY_LENGTH + " characters.");
    }
    Set<SecurableType> types = types(securableType);
    Map.Entry<String, String> tagFilter = tag == null || tag.isEmpty() ? null : TagService.parseFilter(tag);
    Filters filters = new Filters(text, types, tagFilter == null ? "" : SearchDao.TAG_FILTER,
        tagFilter == null ? null : tagFilter.getKey(), tagFilter == null ? null : tagFilter.getValue());
    Cursor cursor = Cursor.decode(page.after());
    List<SearchDao.Hit> visible = new ArrayList<>();
    for (Tier tier : Tier.values()) {
      if (cursor != null && cursor.rank() > tier.lastRank) {
        continue;
      }
      int batch = page.fetchSize();
      while (visible.size() < page.fetchSize()) {
        Cursor from = cursor;
        int size = batch;
        List<SearchDao.Hit> hits = inMemory && tagFilter == null ? fromIndex(tier, filters, from, size)
            : jdbi.withHandle(h -> tier.query(h.attach(SearchDao.class), filters, from, size));
        for (SearchDao.Hit hit : hits) {
          cursor = cursorOf(hit);
          if (visibility.isVisible(caller, hit.row()) && visible.size() < page.fetchSize()) {
            visible.add(hit);
          }
        }
        if (hits.size() < size) {
          break;
        }
        // Many invisible matches: read further ahead each round rather than one page at a time.
        batch = Math.min(batch * 2, 16 * page.fetchSize());
      }
    }
    Match[] matches = Match.values();
    return Page.of(visible, page, hit -> cursorOf(hit).encode())
        .map(hit -> new Result(hit.row(), text.isEmpty() ? null : matches[hit.matchRank()]));
  }

  private List<SearchDao.Hit> fromIndex(Tier tier, Filters f, Cursor after, int limit) {
    List<SearchIndex.Match> matches = index().find(f.q(), f.types(), tier == Tier.COMMENT, after, limit);
    if (matches.isEmpty()) {
      return List.of();
    }
    Map<String, SecurableRow> rows = new HashMap<>();
    jdbi.withHandle(h -> h.attach(SearchDao.class).byIds(matches.stream().map(SearchIndex.Match::id).toList()))
        .forEach(row -> rows.put(row.id(), row));
    List<SearchDao.Hit> hits = new ArrayList<>(matches.size());
    for (SearchIndex.Match m : matches) {
      SecurableRow row = rows.get(m.id());
      if (row != null) {  // null: deleted by a change committed after this request read its epoch
        hits.add(new SearchDao.Hit(row, m.rank()));
      }
    }
    return hits;
  }

  /**
   * The index at this request's change epoch: the one held when the epoch is the same, else built
   * anew (and held, when the request may use caches).
   */
  private SearchIndex index() {
    long epoch = ReadCaches.of(jdbi).epoch();
    SearchIndex held = index.get();
    if (epoch >= 0 && held != null && held.epoch == epoch) {
      return held;
    }
    SearchIndex built = new SearchIndex(epoch, jdbi.withHandle(h -> h.attach(SearchDao.class).indexEntries()));
    if (epoch >= 0) {
      index.set(built);
    }
    return built;
  }

  /** What a search filters on: the query text, the types, and the tag fragment with its values. */
  private record Filters(String q, Set<SecurableType> types, String tagSql, String tagKey, String tagValue) {}

  /** The two queries of a search, in rank order, with the last rank each can return. */
  private enum Tier {
    NAME(SearchDao.COMMENT_RANK - 1),
    COMMENT(SearchDao.COMMENT_RANK);

    final int lastRank;

    Tier(int lastRank) {
      this.lastRank = lastRank;
    }

    List<SearchDao.Hit> query(SearchDao dao, Filters f, Cursor after, int limit) {
      int rank = after == null ? 0 : after.rank();
      String name = after == null ? null : after.fullName();
      String type = after == null ? null : after.type().name();
      return this == NAME
          ? dao.byName(f.q(), f.types(), f.tagSql(), f.tagKey(), f.tagValue(), rank, name, type, limit)
          : dao.byComment(f.q(), f.types(), f.tagSql(), f.tagKey(), f.tagValue(), rank, name, type, limit);
    }
  }

  private static Cursor cursorOf(SearchDao.Hit hit) {
    return new Cursor(hit.matchRank(), hit.row().fullName(), hit.row().securableType());
  }

  private static Set<SecurableType> types(String securableType) {
    if (securableType == null || securableType.isEmpty()) {
      return SEARCHABLE;
    }
    SecurableType type = SecurableType.fromWire(securableType);
    if (type == null || !SEARCHABLE.contains(type)) {
      throw GatehouseException.invalid("'securable_type' is not a type of securable that search finds.");
    }
    return EnumSet.of(type);
  }
}
