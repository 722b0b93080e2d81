package dev.gatehouse.catalog;

import dev.gatehouse.securable.SecurableType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every securable's name and lower-cased comment in memory, for search on H2: H2 has no substring
 * index, and reading 100,000 rows from its file to test each takes 100 ms or more, while testing
 * them here takes a few. Built from one read of the table and kept while the catalog's change epoch
 * stays put (see {@link SearchService}); PostgreSQL searches in SQL, over trigram indexes.
 *
 * <p>It answers exactly what {@link SearchDao}'s queries answer: the same ranks, the same order
 * (rank, full name, type, compared as H2 compares text), the same cursor.
 */
final class SearchIndex {
  /** One securable as search sees it. */
  record Entry(String id, String type, String name, String fullName, String commentLower) {}

  /** A match: the securable's id and its rank (see {@link SearchDao.Hit}). */
  record Match(String id, int rank) {}

  private static final Comparator<Entry> ORDER = Comparator.comparing(Entry::fullName).thenComparing(Entry::type);

  final long epoch;
  private final List<Entry> entries;

  SearchIndex(long epoch, List<Entry> entries) {
    this.epoch = epoch;
    this.entries = new ArrayList<>(entries);
    this.entries.sort(ORDER);
  }

  /**
   * The first {@code limit} matches after {@code after} (rank, full name, type; null: from the top)
   * of the name ranks (0 to 2) or, with {@code comments}, of the comment rank.
   */
  List<Match> find(String q, Set<SecurableType> types, boolean comments, SearchService.Cursor after, int limit) {
    Set<String> typeNames = types.stream().map(Enum::name).collect(Collectors.toSet());
    int ranks = SearchDao.COMMENT_RANK + 1;
    List<List<Entry>> byRank = new ArrayList<>(ranks);
    for (int i = 0; i < ranks; i++) {
      byRank.add(new ArrayList<>());
    }
    // entries are in (full name, type) order, so each rank's list is too: its first `limit` suffice
    for (Entry e : entries) {
      int rank = rank(e, q, comments);
      if (rank < 0 || !typeNames.contains(e.type()) || byRank.get(rank).size() >= limit
          || after != null && !isAfter(rank, e, after)) {
        continue;
      }
      byRank.get(rank).add(e);
    }
    List<Match> found = new ArrayList<>(limit);
    for (int rank = 0; rank < ranks && found.size() < limit; rank++) {
      for (Entry e : byRank.get(rank)) {
        if (found.size() == limit) {
          break;
        }
        found.add(new Match(e.id(), rank));
      }
    }
    return found;
  }

  /** As SearchDao ranks: 0 the name is q, 1 it starts with q, 2 contains it; 3 only the comment does. */
  private static int rank(Entry e, String q, boolean comments) {
    int at = e.name().indexOf(q);
    if (at >= 0) {
      return comments ? -1 : e.name().equals(q) ? 0 : at == 0 ? 1 : 2;
    }
    return comments && e.commentLower() != null && e.commentLower().contains(q) ? SearchDao.COMMENT_RANK : -1;
  }

  private static boolean isAfter(int rank, Entry e, SearchService.Cursor after) {
    if (rank != after.rank()) {
      return rank > after.rank();
    }
    int byName = e.fullName().compareTo(after.fullName());
    return byName != 0 ? byName > 0 : e.type().compareTo(after.type().name()) > 0;
  }
}
