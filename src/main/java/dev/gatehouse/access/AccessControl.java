package dev.gatehouse.access;

import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import dev.gatehouse.db.ReadCaches;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Every authorization decision on securables. Rules (Unity Catalog's): metastore admins may do
 * everything; owners hold every privilege on what they own and beneath it; grants on a container
 * apply to everything in it, now and later; reaching an object needs USE_CATALOG and USE_SCHEMA on
 * its parents. A caller that may not see an object (nothing held on it, above it with effect on it,
 * or inside it; no BROWSE) gets the same 404 as for a missing one; one that sees it but may not act
 * gets 403 naming the missing privilege. A check is one recursive query over the object's ancestry
 * joined with the caller's grants (indexed), plus, only for an object otherwise invisible that has
 * children, probes for grants or ownership inside it. In reads the chain comes from the read
 * caches, whose entries die with any committed change on any instance: a revoke takes effect on the
 * next request.
 */
public class AccessControl {
  private final Jdbi jdbi;

  public AccessControl(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Reading an object's metadata: 404 when invisible, 403 when its parents may not be entered. */
  public void requireRead(Caller caller, SecurableRow row) {
    if (caller.admin() || row.securableType() == SecurableType.METASTORE) {
      return;
    }
    Evaluation e = evaluate(caller, row);
    requireVisible(caller, row, e);
    if (e.ownsChain() || e.holds(Privilege.BROWSE)) {
      return;
    }
    e.unreachable(false, null).ifPresent(m -> {
      throw missing(m.privilege(), m.where().securableType(), m.where().fullName());
    });
  }

  /** Acting on an object with {@code privilege}; creating a child takes the parent and CREATE_*. */
  public void require(Caller caller, SecurableRow row, Privilege privilege) {
    if (caller.admin()) {
      return;
    }
    Evaluation e = evaluate(caller, row);
    requireVisible(caller, row, e);
    if (e.ownsChain()) {
      return;
    }
    e.unreachable(true, privilege).ifPresent(m -> {
      throw missing(m.privilege(), m.where().securableType(), m.where().fullName());
    });
    if (!e.holds(privilege)) {
      throw missing(privilege, row.securableType(), row.fullName());
    }
  }

  /** Owner-level acts: update, delete, change owner, grant. Admins, owners (of it or a parent), MANAGE. */
  public void requireManage(Caller caller, SecurableRow row) {
    if (caller.admin()) {
      return;
    }
    Evaluation e = evaluate(caller, row);
    requireVisible(caller, row, e);
    if (!e.ownsChain() && !e.holds(Privilege.MANAGE)) {
      AuditContext.current().denied();
      throw GatehouseException.denied("Missing privilege MANAGE on " + describe(row.securableType(), row.fullName())
          + "; only its owner, a holder of MANAGE or an admin may do this.");
    }
  }

  /**
   * Whether the caller may manage {@code row} (admin, owner, MANAGE), as {@link #requireManage} decides,
   * without recording a denial: for choosing what to show, not for refusing.
   */
  public boolean canManage(Caller caller, SecurableRow row) {
    if (caller.admin()) {
      return true;
    }
    Evaluation e = evaluate(caller, row);
    return visible(caller, row, e) && (e.ownsChain() || e.holds(Privilege.MANAGE));
  }

  /** Whether the caller may act with {@code privilege}; the same rules as {@link #require}, as a boolean. */
  public boolean allows(Caller caller, SecurableRow row, Privilege privilege) {
    try {
      require(caller, row, privilege);
      return true;
    } catch (GatehouseException e) {
      return false;
    }
  }

  public boolean isVisible(Caller caller, SecurableRow row) {
    if (caller.admin() || row.securableType() == SecurableType.METASTORE) {
      return true;
    }
    return visible(caller, row, evaluate(caller, row));
  }

  /**
   * Whether the caller sees the metadata of every object: admins, and whoever owns or may BROWSE
   * the metastore (the built-in auditors group). One query; callers use it to skip per-object checks.
   */
  public boolean seesEverything(Caller caller) {
    if (caller.admin()) {
      return true;
    }
    Evaluation e = new Evaluation(caller, jdbi.withHandle(
        h -> h.attach(GrantDao.class).chainWithGrants(SecurableRow.METASTORE_ID, caller.principalIds())));
    return e.ownsChain() || e.holds(Privilege.BROWSE);
  }

  /**
   * The ids among {@code securableIds} that the caller may see, by the rules of {@link #isVisible}:
   * the ancestries of all of them in one query per {@value #BULK_CHECK} ids; only an otherwise
   * invisible securable that has children costs its own probes. Unknown ids are left out.
   */
  public Set<String> visibleAmong(Caller caller, Collection<String> securableIds) {
    Set<String> visible = new HashSet<>();
    if (securableIds.isEmpty()) {
      return visible;
    }
    List<String> ids = List.copyOf(new LinkedHashSet<>(securableIds));
    if (caller.admin()) {
      visible.addAll(ids);
      return visible;
    }
    for (int from = 0; from < ids.size(); from += BULK_CHECK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + BULK_CHECK));
      Map<String, List<ChainLink>> chains = new LinkedHashMap<>();
      for (GrantDao.StartedLink l : jdbi.withHandle(
          h -> h.attach(GrantDao.class).chainsWithGrants(chunk, caller.principalIds()))) {
        chains.computeIfAbsent(l.startId(), k -> new ArrayList<>()).add(l.link());
      }
      chains.forEach((id, links) -> {
        ChainLink self = links.get(0);
        if (self.securableType() == SecurableType.METASTORE
            || visible(caller, id, new Evaluation(caller, links))) {
          visible.add(id);
        }
      });
    }
    return visible;
  }

  /** Securables checked per query by {@link #visibleAmong}: bounds the IN list and the result. */
  static final int BULK_CHECK = 500;

  /** One page of the children of {@code parent} of one type that the caller may see; pages stay full. */
  public Page<SecurableRow> listChildren(Caller caller, SecurableRow parent, SecurableType type, PageRequest page) {
    requireRead(caller, parent);
    boolean seesAll = caller.admin() || seesAllChildren(evaluate(caller, parent), type);
    return jdbi.withHandle(h -> Page.of(seesAll
            ? h.attach(SecurableDao.class).listChildren(parent.id(), type, page.after(), page.fetchSize())
            : h.attach(GrantDao.class).listVisibleChildren(parent.id(), type, page.after(), page.fetchSize(),
                caller.principalIds(), names(caller)),
        page, SecurableRow::name));
  }

  public static GatehouseException notFound(SecurableRow row) {
    return GatehouseException.notFound(row.securableType().label(), row.fullName());
  }

  Evaluation evaluate(Caller caller, SecurableRow row) {
    AuditContext.current().checked(row.securableType().wireName(), row.fullName());
    Set<String> principals = caller.principalIds();
    return new Evaluation(caller, ReadCaches.of(jdbi).get(new ChainOf(row.id(), principals),
        () -> List.copyOf(jdbi.withHandle(h -> h.attach(GrantDao.class).chainWithGrants(row.id(), principals)))));
  }

  private record ChainOf(String securableId, Set<String> principalIds) {}

  private void requireVisible(Caller caller, SecurableRow row, Evaluation e) {
    if (!visible(caller, row, e)) {
      AuditContext.current().denied();
      throw notFound(row);
    }
  }

  private boolean visible(Caller caller, SecurableRow row, Evaluation e) {
    return row.securableType() == SecurableType.METASTORE || visible(caller, row.id(), e);
  }

  private boolean visible(Caller caller, String id, Evaluation e) {
    if (e.ownsChain() || e.visibleThroughGrants()) {
      return true;
    }
    // Grants and ownership inside need something inside: a denial on a table (most denials) ends
    // here, in the one round trip of evaluate(), instead of two more probes.
    if (!e.targetHasChildren()) {
      return false;
    }
    return jdbi.withHandle(h -> {
      GrantDao grants = h.attach(GrantDao.class);
      return grants.holdsAnythingInside(id, caller.principalIds())
          || grants.ownsAnythingInside(id, names(caller));
    });
  }

  /** A blanket right on the container: every child of {@code type} in it is visible. */
  private static boolean seesAllChildren(Evaluation parent, SecurableType type) {
    if (parent.ownsChain() || parent.holds(Privilege.BROWSE) || parent.holds(Privilege.MANAGE)) {
      return true;
    }
    for (Privilege p : Privilege.values()) {
      if (p.grantableOn(type) && parent.holds(p)) {
        return true;
      }
    }
    return false;
  }

  private static Set<String> names(Caller caller) {
    Set<String> names = new HashSet<>(caller.groupNames());
    names.add(caller.name());
    return names;
  }

  private static GatehouseException missing(Privilege privilege, SecurableType type, String fullName) {
    AuditContext.current().denied();
    return GatehouseException.denied("Missing privilege " + privilege.name() + " on " + describe(type, fullName) + ".");
  }

  static String describe(SecurableType type, String fullName) {
    return type.wireName() + " '" + fullName + "'";
  }
}
