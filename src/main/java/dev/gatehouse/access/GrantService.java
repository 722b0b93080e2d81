package dev.gatehouse.access;

import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.PrincipalDao;
import dev.gatehouse.identity.PrincipalRow;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Granting, revoking and explaining privileges. */
public class GrantService {
  private final Jdbi jdbi;
  private final Clock clock;
  private final AccessControl access;

  public GrantService(Jdbi jdbi, Clock clock, AccessControl access) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.access = access;
  }

  /** One principal's privileges on a securable. */
  public record Assignment(String principal, List<String> privileges) {}

  /** A requested change for one principal. */
  public record Change(String principal, List<String> add, List<String> remove) {}

  /** One effective privilege and, when inherited, the securable it was granted on. */
  public record Effective(String privilege, SecurableType fromType, String fromName) {}

  /** All grants for the securable's managers; for anyone else who sees it, only their own. */
  public List<Assignment> list(Caller caller, SecurableRow row, String principal) {
    access.requireRead(caller, row);
    boolean manager = canManage(caller, row);
    return jdbi.withHandle(h -> {
      String only = principal == null ? null : principal(h, principal).name();
      List<GrantRow> grants = h.attach(GrantDao.class).grantsOn(row.id()).stream()
          .filter(g -> manager || caller.principalIds().contains(g.principalId()))
          .filter(g -> only == null || g.principalName().equals(only))
          .toList();
      return group(grants);
    });
  }

  /** Applies all changes or none; the caller must manage the securable. */
  public List<Assignment> update(Caller caller, SecurableRow row, List<Change> changes) {
    access.requireManage(caller, row);
    if (row.securableType() == SecurableType.MODEL_VERSION) {
      throw GatehouseException.invalid("Privileges are granted on the registered model, not on its versions.");
    }
    if (changes == null || changes.isEmpty()) {
      throw GatehouseException.invalid("'changes' must list at least one change.");
    }
    AuditContext.current().target(row.securableType().wireName(), row.fullName());
    jdbi.useTransaction(h -> {
      GrantDao dao = h.attach(GrantDao.class);
      AuditContext.current().detail("before", group(dao.grantsOn(row.id())));
      List<ChainLink> chain = dao.chainWithGrants(row.id(), List.of(""));
      String catalogId = idOf(chain, SecurableType.CATALOG);
      String schemaId = idOf(chain, SecurableType.SCHEMA);
      long now = clock.millis();
      for (Change change : changes) {
        PrincipalRow p = principal(h, change.principal());
        for (Privilege privilege : parse(change.add(), row.securableType())) {
          dao.grant(row.id(), p.id(), privilege.name(), catalogId, schemaId, now, caller.name());
        }
        for (Privilege privilege : parse(change.remove(), row.securableType())) {
          dao.revoke(row.id(), p.id(), privilege.name());
        }
      }
    });
    List<Assignment> after = jdbi.withHandle(h -> group(h.attach(GrantDao.class).grantsOn(row.id())));
    AuditContext.current().detail("after", after);
    return after;
  }

  /**
   * What {@code principalName} (default: the caller) holds on the securable, directly or through its
   * groups, on it or inherited from a parent. Asking about someone else needs MANAGE, ownership or admin.
   */
  public record EffectiveList(String principal, List<Effective> privileges) {}

  public EffectiveList effective(Caller caller, SecurableRow row, String principalName) {
    access.requireRead(caller, row);
    return jdbi.withHandle(h -> {
      PrincipalRow subject = principalName == null
          ? h.attach(PrincipalDao.class).findById(caller.principalId()).orElseThrow()
          : principal(h, principalName);
      if (!subject.id().equals(caller.principalId()) && !canManage(caller, row)) {
        throw GatehouseException.denied("Only its owner, a holder of MANAGE or an admin may see another principal's "
            + "privileges on " + AccessControl.describe(row.securableType(), row.fullName()) + ".");
      }
      PrincipalDao principals = h.attach(PrincipalDao.class);
      Map<String, String> holders = new LinkedHashMap<>();
      holders.put(subject.id(), subject.name());
      principals.transitiveGroups(subject.id()).forEach(g -> holders.put(g.id(), g.name()));
      List<Effective> result = new ArrayList<>();
      for (ChainLink link : h.attach(GrantDao.class).chainWithGrants(row.id(), holders.keySet())) {
        if (link.privilege() != null) {
          result.add(new Effective(link.privilege(), link.depth() == 0 ? null : link.securableType(),
              link.depth() == 0 ? null : link.fullName()));
        }
      }
      return new EffectiveList(subject.name(), result);
    });
  }

  /** First start: the built-in auditors group reads the audit log and sees every object's metadata. */
  public void grantAuditorsGroup() {
    jdbi.useTransaction(h -> {
      PrincipalRow auditors = principal(h, Caller.AUDITORS_GROUP);
      GrantDao dao = h.attach(GrantDao.class);
      for (Privilege p : List.of(Privilege.AUDIT, Privilege.BROWSE)) {
        dao.grant(SecurableRow.METASTORE_ID, auditors.id(), p.name(), null, null, clock.millis(), "system");
      }
    });
  }

  private boolean canManage(Caller caller, SecurableRow row) {
    try {
      access.requireManage(caller, row);
      return true;
    } catch (GatehouseException e) {
      return false;
    }
  }

  private static List<Privilege> parse(List<String> names, SecurableType type) {
    List<Privilege> result = new ArrayList<>();
    for (String name : names == null ? List.<String>of() : names) {
      Privilege p = Privilege.parse(name);
      if (p == null) {
        throw GatehouseException.invalid("Unknown privilege '" + name + "'.");
      }
      if (!p.grantableOn(type)) {
        throw GatehouseException.invalid("Privilege " + p.name() + " cannot be granted on a " + type.wireName() + ".");
      }
      result.add(p);
    }
    return result;
  }

  private static PrincipalRow principal(Handle h, String name) {
    if (name == null || name.isBlank()) {
      throw GatehouseException.invalid("'principal' is required.");
    }
    return h.attach(PrincipalDao.class).findByNameKey(PrincipalDao.key(name))
        .orElseThrow(() -> GatehouseException.invalid("Principal '" + name + "' does not exist."));
  }

  private static String idOf(List<ChainLink> chain, SecurableType type) {
    return chain.stream().filter(l -> l.securableType() == type).map(ChainLink::id).findFirst().orElse(null);
  }

  private static List<Assignment> group(List<GrantRow> grants) {
    Map<String, Set<String>> byPrincipal = new LinkedHashMap<>();
    for (GrantRow g : grants) {
      byPrincipal.computeIfAbsent(g.principalName(), k -> new TreeSet<>()).add(g.privilege());
    }
    return byPrincipal.entrySet().stream()
        .map(e -> new Assignment(e.getKey(), List.copyOf(e.getValue())))
        .collect(Collectors.toList());
  }
}
