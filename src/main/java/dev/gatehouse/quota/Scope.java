package dev.gatehouse.quota;

import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.PrincipalDao;
import java.util.Locale;

/**
 * Whom a rate-limit rule or a budget applies to: one API key, one principal, a group (shared by its
 * members or, with {@code perMember}, per member), a model or every model under a schema or catalog,
 * or everyone. Names are stored canonical: key id, principal name key, group name key, lower-case
 * securable full name.
 */
public record Scope(Type type, String name, boolean perMember) {
  public enum Type {
    KEY, PRINCIPAL, GROUP, MODEL, GLOBAL;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Validates the wire form ({@code scope_type}, {@code scope_name}, {@code per_member}); 400 on nonsense. */
  public static Scope parse(String type, String name, Boolean perMember) {
    if (type == null) {
      throw GatehouseException.invalid("'scope_type' is required: key, principal, group, model or global.");
    }
    Type parsed;
    try {
      parsed = Type.valueOf(type.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw GatehouseException.invalid("'scope_type' must be key, principal, group, model or global, not '" + type + "'.");
    }
    boolean member = Boolean.TRUE.equals(perMember);
    if (member && parsed != Type.GROUP) {
      throw GatehouseException.invalid("'per_member' applies to group scopes only.");
    }
    if (parsed == Type.GLOBAL) {
      if (name != null && !name.isEmpty()) {
        throw GatehouseException.invalid("A global scope takes no 'scope_name'.");
      }
      return new Scope(parsed, null, false);
    }
    if (name == null || name.isBlank() || name.length() > 1024) {
      throw GatehouseException.invalid("'scope_name' is required for a " + parsed.wire() + " scope (at most 1024 characters).");
    }
    return new Scope(parsed, switch (parsed) {
      case KEY -> name;
      case PRINCIPAL, GROUP -> PrincipalDao.key(name);
      default -> name.toLowerCase(Locale.ROOT);
    }, member);
  }

  /** Whether a call by {@code caller} to the model {@code modelFullName} counts against this scope. */
  public boolean covers(Caller caller, String modelFullName) {
    return switch (type) {
      case GLOBAL -> true;
      case KEY -> name.equals(caller.keyId());
      case PRINCIPAL -> name.equals(PrincipalDao.key(caller.name()));
      case GROUP -> caller.groupNames().stream().anyMatch(group -> name.equals(PrincipalDao.key(group)));
      case MODEL -> {
        String model = modelFullName.toLowerCase(Locale.ROOT);
        yield model.equals(name) || model.startsWith(name + ".");
      }
    };
  }

  /**
   * Which counter of the scope a call by {@code caller} draws from: the scope's one shared counter,
   * or, for a per-member group scope, the caller's own.
   */
  public String counterKey(Caller caller) {
    String base = type.wire() + ":" + (name == null ? "" : name);
    return perMember ? base + ":member:" + caller.principalId() : base;
  }
}
