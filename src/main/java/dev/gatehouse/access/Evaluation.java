package dev.gatehouse.access;

import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.SecurableType;
import java.util.List;
import java.util.Optional;

/**
 * What a caller holds along one securable's ancestry: the facts every decision is read from.
 * Grants inherit downwards, so a privilege held at any depth applies to the securable.
 */
final class Evaluation {
  private final Caller caller;
  private final List<ChainLink> links;

  Evaluation(Caller caller, List<ChainLink> links) {
    this.caller = caller;
    this.links = links;
  }

  SecurableType targetType() {
    return links.get(0).securableType();
  }

  /** Whether anything lies inside the securable, so that something could be held or owned there. */
  boolean targetHasChildren() {
    return links.get(0).targetHasChildren();
  }

  /** The caller (or one of its groups) owns the securable or one of its ancestors. */
  boolean ownsChain() {
    return links.stream().anyMatch(l -> owns(caller, l.owner()));
  }

  /** The link where {@code privilege} (or ALL_PRIVILEGES) is held, nearest first. */
  Optional<ChainLink> holding(Privilege privilege) {
    return links.stream()
        .filter(l -> l.privilege() != null)
        .filter(l -> l.privilege().equals(privilege.name()) || l.privilege().equals(Privilege.ALL_PRIVILEGES.name()))
        .findFirst();
  }

  boolean holds(Privilege privilege) {
    return holding(privilege).isPresent();
  }

  /**
   * Visible through grants at this level or above: any grant on the securable itself, BROWSE
   * anywhere above, or an inherited privilege that applies to the securable's kind.
   */
  boolean visibleThroughGrants() {
    SecurableType type = targetType();
    for (ChainLink l : links) {
      if (l.privilege() == null) {
        continue;
      }
      Privilege p = Privilege.parse(l.privilege());
      if (l.depth() == 0 || p == Privilege.BROWSE || p == Privilege.ALL_PRIVILEGES || p == Privilege.MANAGE
          || (p != null && p.grantableOn(type))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The container the caller may not enter: the nearest catalog lacking USE_CATALOG or schema
   * lacking USE_SCHEMA on the way down to the securable. {@code includeSelf}: the securable itself
   * must be entered too (acting in it, as opposed to reading its metadata).
   */
  Optional<Missing> unreachable(boolean includeSelf, Privilege acting) {
    for (int i = links.size() - 1; i >= (includeSelf ? 0 : 1); i--) {
      ChainLink l = links.get(i);
      Privilege use = switch (l.securableType()) {
        case CATALOG -> Privilege.USE_CATALOG;
        case SCHEMA -> Privilege.USE_SCHEMA;
        default -> null;
      };
      if (use == null || use == acting) {
        continue;
      }
      boolean held = links.stream()
          .filter(x -> x.depth() >= l.depth() && x.privilege() != null)
          .anyMatch(x -> x.privilege().equals(use.name()) || x.privilege().equals(Privilege.ALL_PRIVILEGES.name()));
      if (!held) {
        return Optional.of(new Missing(use, l));
      }
    }
    return Optional.empty();
  }

  /** A privilege the caller lacks and where. */
  record Missing(Privilege privilege, ChainLink where) {}

  static boolean owns(Caller caller, String owner) {
    return owner.equalsIgnoreCase(caller.name()) || caller.groupNames().stream().anyMatch(owner::equalsIgnoreCase);
  }
}
