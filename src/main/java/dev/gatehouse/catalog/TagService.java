package dev.gatehouse.catalog;

import dev.gatehouse.db.ReadCaches;
import dev.gatehouse.access.AccessControl;
import dev.gatehouse.access.Privilege;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Names;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Tags (key to value) on catalogs, schemas, tables, volumes, functions, registered models and model
 * versions. Reading them takes what reading the object takes; changing them takes APPLY_TAG.
 */
public class TagService {
  public static final int MAX_KEY_LENGTH = 255;
  public static final int MAX_VALUE_LENGTH = 1000;
  public static final int MAX_TAGS = 100;

  /** The kinds that carry tags, with the number of dotted parts of their full names. */
  private static final Map<SecurableType, Integer> TAGGABLE = Map.of(
      SecurableType.CATALOG, 1, SecurableType.SCHEMA, 2, SecurableType.TABLE, 3, SecurableType.VOLUME, 3,
      SecurableType.FUNCTION, 3, SecurableType.REGISTERED_MODEL, 3, SecurableType.MODEL_VERSION, 4);

  private final Jdbi jdbi;
  private final AccessControl access;

  public TagService(Jdbi jdbi, AccessControl access) {
    this.jdbi = jdbi;
    this.access = access;
  }

  /** A securable with its tags in key order. */
  public record Tagged(SecurableRow row, Map<String, String> tags) {}

  public Tagged get(Caller caller, String securableType, String fullName) {
    SecurableType type = type(securableType);
    String name = fullName(type, fullName);
    SecurableRow row = SecurableStore.find(jdbi, type, name);
    access.requireRead(caller, row);
    return new Tagged(row, tagsOf(List.of(row)).get(row.id()));
  }

  /**
   * Sets and unsets tags at once. The securable's row is locked first so that concurrent changes of
   * one securable's tags run one after the other (and the count limit holds).
   */
  public Tagged update(Caller caller, String securableType, String fullName, Map<String, String> set,
      List<String> unset) {
    SecurableType type = type(securableType);
    String name = fullName(type, fullName);
    Map<String, String> toSet = set == null ? Map.of() : set;
    Set<String> toUnset = new HashSet<>(unset == null ? List.of() : unset);
    validate(toSet, toUnset);
    return jdbi.inTransaction(h -> {
      SecurableRow row = SecurableStore.require(h, type, name);
      access.require(caller, row, Privilege.APPLY_TAG);
      h.attach(SecurableDao.class).lock(row.id());
      TagDao dao = h.attach(TagDao.class);
      Set<String> changed = new HashSet<>(toUnset);
      changed.addAll(toSet.keySet());
      if (!changed.isEmpty()) {
        dao.delete(row.id(), changed);
      }
      if (!toSet.isEmpty()) {
        List<String> keys = new ArrayList<>(toSet.keySet());
        dao.insert(row.id(), keys, keys.stream().map(toSet::get).toList());
      }
      if (dao.count(row.id()) > MAX_TAGS) {
        throw GatehouseException.invalid("At most " + MAX_TAGS + " tags per securable.");
      }
      return new Tagged(row, tagsOf(h, List.of(row.id())).getOrDefault(row.id(), Map.of()));
    });
  }

  /** The tags of each row, keyed by securable id (every row has an entry), in one query. */
  public Map<String, Map<String, String>> tagsOf(Collection<SecurableRow> rows) {
    if (rows.isEmpty()) {
      return Map.of();
    }
    List<String> ids = rows.stream().map(SecurableRow::id).toList();
    if (ids.size() == 1) {
      // one object's tags, read for every GET of it: cached with the rest of its metadata
      String id = ids.get(0);
      return ReadCaches.of(jdbi).get(new TagsOf(id),
          () -> Map.of(id, Collections.unmodifiableMap(jdbi.withHandle(h -> tagsOf(h, ids)).get(id))));
    }
    return jdbi.withHandle(h -> tagsOf(h, ids));
  }

  private record TagsOf(String securableId) {}

  /** Maps items to their views, giving each view its securable's tags; one tag query for all. */
  public <T, R> List<R> render(List<T> items, Function<T, SecurableRow> rowOf, BiFunction<T, Map<String, String>, R> view) {
    Map<String, Map<String, String>> tags = tagsOf(items.stream().map(rowOf).toList());
    return items.stream().map(item -> view.apply(item, tags.get(rowOf.apply(item).id()))).toList();
  }

  public <T, R> R render(T item, Function<T, SecurableRow> rowOf, BiFunction<T, Map<String, String>, R> view) {
    return render(List.of(item), rowOf, view).get(0);
  }

  static Map<String, Map<String, String>> tagsOf(Handle h, List<String> ids) {
    Map<String, Map<String, String>> result = new HashMap<>();
    for (String id : ids) {
      result.put(id, new LinkedHashMap<>());
    }
    for (TagDao.Tag tag : h.attach(TagDao.class).find(ids)) {
      result.get(tag.securableId()).put(tag.tagKey(), tag.tagValue());
    }
    return result;
  }

  /** Parses {@code key} or {@code key:value} (keys hold no ':'), validated like a tag being set. */
  static Map.Entry<String, String> parseFilter(String filter) {
    int colon = filter.indexOf(':');
    String key = colon < 0 ? filter : filter.substring(0, colon);
    String value = colon < 0 ? null : filter.substring(colon + 1);
    validateKey(key);
    if (value != null) {
      validateValue(key, value);
    }
    return new java.util.AbstractMap.SimpleImmutableEntry<>(key, value);
  }

  private static void validate(Map<String, String> set, Set<String> unset) {
    if (set.size() > MAX_TAGS || unset.size() > MAX_TAGS) {
      throw GatehouseException.invalid("At most " + MAX_TAGS + " tags per securable.");
    }
    for (Map.Entry<String, String> e : new TreeMap<>(set).entrySet()) {
      validateKey(e.getKey());
      validateValue(e.getKey(), e.getValue());
      if (unset.contains(e.getKey())) {
        throw GatehouseException.invalid("Tag '" + e.getKey() + "' is both set and unset.");
      }
    }
    unset.forEach(TagService::validateKey);
  }

  private static void validateKey(String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.strip().equals(key)
        || key.indexOf(':') >= 0 || key.chars().anyMatch(Character::isISOControl)) {
      throw GatehouseException.invalid("Tag keys must be 1 to " + MAX_KEY_LENGTH
          + " characters without ':', control characters, or leading or trailing spaces.");
    }
  }

  private static void validateValue(String key, String value) {
    if (value == null || value.length() > MAX_VALUE_LENGTH) {
      throw GatehouseException.invalid("Tag '" + key + "' needs a value of at most " + MAX_VALUE_LENGTH + " characters.");
    }
  }

  private static SecurableType type(String securableType) {
    SecurableType type = SecurableType.fromWire(securableType);
    if (type == null || !TAGGABLE.containsKey(type)) {
      throw GatehouseException.invalid("'securable_type' must be one of catalog, schema, table, volume, function,"
          + " registered_model, model_version.");
    }
    return type;
  }

  private static String fullName(SecurableType type, String fullName) {
    return String.join(".", Names.parseFullName("full_name", fullName, TAGGABLE.get(type)));
  }
}
