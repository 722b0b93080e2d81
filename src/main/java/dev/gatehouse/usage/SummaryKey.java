package dev.gatehouse.usage;

import dev.gatehouse.common.GatehouseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One key of a usage summary's group_by: a column of the record, the caller's group at the time, the
 * UTC day, or the value of one cost tag ({@code tag:team}). The SQL expression of each comes from
 * this fixed list, never from the request; a tag key is a bound parameter.
 */
public record SummaryKey(String name, String expression, String tagKey) {
  static final int MAX_KEYS = 6;
  static final int MAX_TAG_KEYS = 3;
  private static final Pattern TAG_KEY = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");

  /** Parses group_by (comma-separated); empty or null: no grouping, one row with everything. */
  public static List<SummaryKey> parse(String groupBy) {
    List<SummaryKey> keys = new ArrayList<>();
    if (groupBy == null || groupBy.isBlank()) {
      return keys;
    }
    Set<String> seen = new LinkedHashSet<>();
    int tags = 0;
    for (String raw : groupBy.split(",")) {
      String name = raw.trim().toLowerCase(Locale.ROOT);
      if (!seen.add(name)) {
        throw GatehouseException.invalid("'group_by' names '" + name + "' twice.");
      }
      if (name.startsWith("tag:")) {
        String tag = name.substring(4);
        if (!TAG_KEY.matcher(tag).matches()) {
          throw GatehouseException.invalid("'group_by' takes tag:<tag key>, such as tag:team; not '" + raw + "'.");
        }
        keys.add(new SummaryKey(name, "t" + tags + ".tag_value", tag));
        tags++;
        continue;
      }
      keys.add(new SummaryKey(name, switch (name) {
        case "principal" -> "r.principal_name";
        case "group" -> "g.group_name";
        case "key" -> "r.api_key_id";
        case "model" -> "r.model_full_name";
        case "version" -> "r.model_version";
        case "alias" -> "r.alias";
        case "connection" -> "r.connection_name";
        case "provider" -> "r.provider";
        case "day" -> "(r.created_at / 86400000)";
        default -> throw GatehouseException.invalid("'group_by' takes principal, group, key, model, version, alias,"
            + " connection, provider, day and tag:<key>; not '" + raw.trim() + "'.");
      }, null));
    }
    if (keys.size() > MAX_KEYS || tags > MAX_TAG_KEYS) {
      throw GatehouseException.invalid("'group_by' takes at most " + MAX_KEYS + " keys, " + MAX_TAG_KEYS + " of them tags.");
    }
    return keys;
  }
}
