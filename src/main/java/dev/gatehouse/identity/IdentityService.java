package dev.gatehouse.identity;

import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Ids;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Users, service principals and groups. Admins change them; any authenticated principal reads them.
 * Membership changes refuse cycles, so transitive membership is always a finite walk.
 */
public class IdentityService {
  public static final int DEFAULT_COUNT = 50;
  public static final int MAX_COUNT = 1000;
  private static final Set<String> BUILT_IN_GROUPS = Set.of(Caller.ADMINS_GROUP, Caller.AUDITORS_GROUP);

  private final Jdbi jdbi;
  private final Clock clock;
  private final ApiKeyAuthenticator authenticator;

  public IdentityService(Jdbi jdbi, Clock clock, ApiKeyAuthenticator authenticator) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.authenticator = authenticator;
  }

  /** A page of principals in SCIM terms: 1-based start index, the total matching. */
  public record Listing(List<PrincipalRow> rows, int total, int startIndex) {}

  /** What a new principal is made of; {@code memberIds} only for groups. */
  public record NewPrincipal(PrincipalType type, String name, String displayName, String email,
      String applicationId, String externalId, Boolean active, List<String> memberIds) {}

  public PrincipalRow create(Caller caller, NewPrincipal p) {
    requireAdmin(caller);
    String name = PrincipalNames.require(p.type() == PrincipalType.USER ? "userName" : "displayName", p.name());
    AuditContext.current().target(p.type().name().toLowerCase(java.util.Locale.ROOT), name);
    long now = clock.millis();
    PrincipalRow row = new PrincipalRow(Ids.newId(), p.type(), name,
        PrincipalNames.check("displayName", p.displayName() != null ? p.displayName() : name),
        PrincipalNames.check("email", p.email()),
        p.type() == PrincipalType.SERVICE_PRINCIPAL
            ? (p.applicationId() != null ? PrincipalNames.check("applicationId", p.applicationId()) : Ids.newId())
            : null,
        PrincipalNames.check("externalId", p.externalId()),
        p.active() == null || p.active(), now, now);
    return jdbi.inTransaction(h -> {
      PrincipalDao dao = h.attach(PrincipalDao.class);
      if (dao.findByNameKey(row.nameKey()).isPresent()) {
        throw GatehouseException.alreadyExists("Principal", name);
      }
      dao.insert(row);
      if (p.memberIds() != null) {
        for (String memberId : p.memberIds()) {
          addMember(h, row, memberId);
        }
      }
      return row;
    });
  }

  public PrincipalRow get(PrincipalType type, String id) {
    return jdbi.withHandle(h -> find(h, type, id));
  }

  public PrincipalRow byName(String name) {
    return jdbi.withHandle(h -> h.attach(PrincipalDao.class).findByNameKey(PrincipalDao.key(name)))
        .orElseThrow(() -> GatehouseException.notFound("Principal", name));
  }

  public Listing list(PrincipalType type, ScimFilter filter, Integer startIndex, Integer count) {
    int start = startIndex == null || startIndex < 1 ? 1 : startIndex;
    if (count != null && count < 0) {
      throw GatehouseException.invalid("'count' must not be negative.");
    }
    int size = count == null ? DEFAULT_COUNT : Math.min(count, MAX_COUNT);
    return jdbi.withHandle(h -> {
      PrincipalDao dao = h.attach(PrincipalDao.class);
      if (filter == null) {
        return new Listing(dao.list(type, start - 1, size), dao.count(type), start);
      }
      List<PrincipalRow> all = switch (filter.attribute()) {
        case "applicationId" -> dao.findByApplicationId(type, filter.value());
        case "displayName" -> type == PrincipalType.USER
            ? dao.findByTypeAndDisplayName(type, filter.lowerValue())
            : dao.findByTypeAndNameKey(type, filter.lowerValue());
        default -> dao.findByTypeAndNameKey(type, filter.lowerValue());
      };
      List<PrincipalRow> page = all.stream().skip(start - 1L).limit(size).toList();
      return new Listing(page, all.size(), start);
    });
  }

  public List<PrincipalRow> directGroups(String principalId) {
    return jdbi.withHandle(h -> h.attach(PrincipalDao.class).directGroups(principalId));
  }

  public List<PrincipalRow> directMembers(String groupId) {
    return jdbi.withHandle(h -> h.attach(PrincipalDao.class).directMembers(groupId));
  }

  /** Applies one SCIM PATCH, all operations or none. */
  public PrincipalRow patch(Caller caller, PrincipalType type, String id, List<ScimPatch.Operation> operations) {
    requireAdmin(caller);
    PrincipalRow updated = jdbi.inTransaction(h -> {
      PrincipalDao dao = h.attach(PrincipalDao.class);
      PrincipalRow row = find(h, type, id);
      AuditContext.current().target(type.name().toLowerCase(java.util.Locale.ROOT), row.name());
      for (ScimPatch.Operation op : operations) {
        row = apply(h, row, op);
      }
      row = new PrincipalRow(row.id(), row.principalType(), row.name(), row.displayName(), row.email(),
          row.applicationId(), row.externalId(), row.active(), row.createdAt(), clock.millis());
      dao.update(row);
      return row;
    });
    authenticator.invalidateAll();
    return updated;
  }

  public void delete(Caller caller, PrincipalType type, String id) {
    requireAdmin(caller);
    jdbi.useTransaction(h -> {
      PrincipalRow row = find(h, type, id);
      AuditContext.current().target(type.name().toLowerCase(java.util.Locale.ROOT), row.name());
      if (type == PrincipalType.GROUP && BUILT_IN_GROUPS.contains(row.nameKey())) {
        throw GatehouseException.conflict("The built-in group '" + row.name() + "' cannot be deleted.");
      }
      if (row.id().equals(caller.principalId())) {
        throw GatehouseException.conflict("A principal cannot delete itself.");
      }
      h.attach(PrincipalDao.class).delete(row.id());
    });
    authenticator.invalidateAll();
  }

  private PrincipalRow apply(Handle h, PrincipalRow row, ScimPatch.Operation op) {
    PrincipalDao dao = h.attach(PrincipalDao.class);
    switch (op.target()) {
      case MEMBERS -> {
        requireGroup(row);
        if (op.kind() == ScimPatch.Kind.REPLACE) {
          dao.removeAllMembers(row.id());
        }
        for (String memberId : op.memberIds()) {
          if (op.kind() == ScimPatch.Kind.REMOVE) {
            dao.removeMember(row.id(), memberId);
          } else {
            addMember(h, row, memberId);
          }
        }
        return row;
      }
      case DISPLAY_NAME -> {
        String value = PrincipalNames.require("displayName", op.text());
        if (row.principalType() == PrincipalType.USER) {
          return withFields(row, row.name(), value, row.email(), row.active());
        }
        if (BUILT_IN_GROUPS.contains(row.nameKey())) {
          throw GatehouseException.conflict("The built-in group '" + row.name() + "' cannot be renamed.");
        }
        if (!PrincipalDao.key(value).equals(row.nameKey()) && dao.findByNameKey(PrincipalDao.key(value)).isPresent()) {
          throw GatehouseException.alreadyExists("Principal", value);
        }
        return withFields(row, value, value, row.email(), row.active());
      }
      case ACTIVE -> {
        if (row.principalType() == PrincipalType.GROUP) {
          throw GatehouseException.invalid("Groups have no 'active' attribute.");
        }
        return withFields(row, row.name(), row.displayName(), row.email(), op.bool());
      }
      case EMAILS -> {
        if (row.principalType() != PrincipalType.USER) {
          throw GatehouseException.invalid("Only users have 'emails'.");
        }
        return withFields(row, row.name(), row.displayName(), PrincipalNames.check("email", op.text()), row.active());
      }
      default -> throw new IllegalStateException();
    }
  }

  private static PrincipalRow withFields(PrincipalRow r, String name, String displayName, String email, boolean active) {
    return new PrincipalRow(r.id(), r.principalType(), name, displayName, email, r.applicationId(), r.externalId(),
        active, r.createdAt(), r.updatedAt());
  }

  private void addMember(Handle h, PrincipalRow group, String memberId) {
    PrincipalDao dao = h.attach(PrincipalDao.class);
    PrincipalRow member = dao.findById(memberId)
        .orElseThrow(() -> GatehouseException.invalid("Member '" + memberId + "' does not exist."));
    if (member.id().equals(group.id())
        || dao.transitiveGroups(group.id()).stream().anyMatch(g -> g.id().equals(member.id()))) {
      throw GatehouseException.conflict("Adding '" + member.name() + "' to '" + group.name()
          + "' would make a group contain itself.");
    }
    dao.addMember(group.id(), member.id());
  }

  private static void requireGroup(PrincipalRow row) {
    if (row.principalType() != PrincipalType.GROUP) {
      throw GatehouseException.invalid("Only groups have members.");
    }
  }

  private static PrincipalRow find(Handle h, PrincipalType type, String id) {
    return h.attach(PrincipalDao.class).findById(id)
        .filter(p -> p.principalType() == type)
        .orElseThrow(() -> GatehouseException.notFound(type.scimName(), id));
  }

  static void requireAdmin(Caller caller) {
    if (!caller.admin()) {
      throw GatehouseException.denied("Only metastore admins may manage principals.");
    }
  }
}
