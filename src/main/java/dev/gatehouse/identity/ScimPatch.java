package dev.gatehouse.identity;

import dev.gatehouse.api.model.ScimPatchOperation;
import dev.gatehouse.common.GatehouseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads SCIM PATCH operations (RFC 7644 3.5.2) into the few changes served: members (add, remove,
 * replace, and remove by {@code members[value eq "id"]}), displayName, active and emails. A
 * path-less operation with an object value is split into one operation per attribute.
 */
public final class ScimPatch {
  private static final Pattern MEMBER_FILTER =
      Pattern.compile("^members\\[\\s*value\\s+eq\\s+\"([^\"]+)\"\\s*]$", Pattern.CASE_INSENSITIVE);

  private ScimPatch() {}

  public enum Kind { ADD, REMOVE, REPLACE }

  public enum Target { MEMBERS, DISPLAY_NAME, ACTIVE, EMAILS }

  public record Operation(Kind kind, Target target, List<String> memberIds, Object value) {
    String text() {
      if (value instanceof String s) {
        return s;
      }
      if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map<?, ?> m
          && m.get("value") instanceof String s) {
        return s; // emails: [{"value": "..."}]
      }
      throw GatehouseException.invalid("Expected a string value for " + target.name().toLowerCase(Locale.ROOT) + ".");
    }

    boolean bool() {
      if (value instanceof Boolean b) {
        return b;
      }
      if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
        return Boolean.parseBoolean(s);
      }
      throw GatehouseException.invalid("Expected a boolean value for active.");
    }
  }

  public static List<Operation> read(List<ScimPatchOperation> operations) {
    if (operations == null || operations.isEmpty()) {
      throw GatehouseException.invalid("'Operations' must list at least one operation.");
    }
    if (operations.size() > 1000) {
      throw GatehouseException.invalid("At most 1000 operations per request.");
    }
    List<Operation> result = new ArrayList<>();
    for (ScimPatchOperation op : operations) {
      Kind kind = kind(op.getOp());
      String path = op.getPath();
      if (path == null || path.isBlank()) {
        if (!(op.getValue() instanceof Map<?, ?> values) || kind == Kind.REMOVE) {
          throw GatehouseException.invalid("An operation without 'path' needs an object 'value'.");
        }
        for (Map.Entry<?, ?> e : values.entrySet()) {
          result.add(operation(kind, String.valueOf(e.getKey()), e.getValue()));
        }
      } else {
        result.add(operation(kind, path.strip(), op.getValue()));
      }
    }
    return result;
  }

  private static Operation operation(Kind kind, String path, Object value) {
    Matcher m = MEMBER_FILTER.matcher(path);
    if (m.matches()) {
      if (kind != Kind.REMOVE) {
        throw GatehouseException.invalid("Only 'remove' takes a members filter path.");
      }
      return new Operation(kind, Target.MEMBERS, List.of(m.group(1)), null);
    }
    return switch (path.toLowerCase(Locale.ROOT)) {
      case "members" -> new Operation(kind, Target.MEMBERS, memberIds(value, kind), value);
      case "displayname" -> new Operation(requireSet(kind, path), Target.DISPLAY_NAME, List.of(), value);
      case "active" -> new Operation(requireSet(kind, path), Target.ACTIVE, List.of(), value);
      case "emails" -> new Operation(requireSet(kind, path), Target.EMAILS, List.of(), value);
      default -> throw GatehouseException.invalid("Unsupported PATCH path '" + path + "'.");
    };
  }

  private static Kind requireSet(Kind kind, String path) {
    if (kind == Kind.REMOVE) {
      throw GatehouseException.invalid("'" + path + "' cannot be removed.");
    }
    return kind;
  }

  private static List<String> memberIds(Object value, Kind kind) {
    if (value == null) {
      if (kind == Kind.REPLACE) {
        return List.of();
      }
      throw GatehouseException.invalid("'members' operations need a value: [{\"value\": \"<id>\"}].");
    }
    List<?> items = value instanceof List<?> l ? l : List.of(value);
    List<String> ids = new ArrayList<>();
    for (Object item : items) {
      if (item instanceof Map<?, ?> map && map.get("value") instanceof String id && !id.isBlank()) {
        ids.add(id);
      } else {
        throw GatehouseException.invalid("Each member must be {\"value\": \"<id>\"}.");
      }
    }
    return ids;
  }

  private static Kind kind(String op) {
    if (op == null) {
      throw GatehouseException.invalid("Each operation needs 'op'.");
    }
    return switch (op.toLowerCase(Locale.ROOT)) {
      case "add" -> Kind.ADD;
      case "remove" -> Kind.REMOVE;
      case "replace" -> Kind.REPLACE;
      default -> throw GatehouseException.invalid("Unsupported op '" + op + "'; use add, remove or replace.");
    };
  }
}
