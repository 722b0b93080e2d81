package dev.gatehouse.access;

import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import dev.gatehouse.securable.SecurableType;
import org.jdbi.v3.core.Jdbi;

/**
 * Every authorization decision on securables. Callers that may not see an object get the same 404
 * as for a missing one; callers that see it but may not act get 403 naming what they lack.
 * (Interim rules until grants land: admins and owners of the object or a parent act; all read.)
 */
public class AccessControl {
  private final Jdbi jdbi;

  public AccessControl(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Reading an object's metadata: 404 when invisible, 403 when its parents may not be reached. */
  public void requireRead(Caller caller, SecurableRow row) {
    if (!isVisible(caller, row)) {
      throw notFound(row);
    }
  }

  /** Acting on an object with {@code privilege} (creating a child takes the parent and CREATE_*). */
  public void require(Caller caller, SecurableRow row, Privilege privilege) {
    requireRead(caller, row);
    if (!caller.admin() && !ownsChain(caller, row)) {
      throw GatehouseException.denied("Missing privilege " + privilege.name() + " on " + describe(row) + ".");
    }
  }

  /** Owner-level acts: update, delete, change owner, grant. Admins, owners (of it or a parent), MANAGE. */
  public void requireManage(Caller caller, SecurableRow row) {
    requireRead(caller, row);
    if (!caller.admin() && !ownsChain(caller, row)) {
      throw GatehouseException.denied("Only an admin, an owner or a holder of MANAGE may change " + describe(row) + ".");
    }
  }

  public boolean isVisible(Caller caller, SecurableRow row) {
    return true;
  }

  /** One page of the children of {@code parent} of one type that the caller may see; pages stay full. */
  public Page<SecurableRow> listChildren(Caller caller, SecurableRow parent, SecurableType type, PageRequest page) {
    requireRead(caller, parent);
    return jdbi.withHandle(h -> Page.of(
        h.attach(SecurableDao.class).listChildren(parent.id(), type, page.after(), page.fetchSize()),
        page, SecurableRow::name));
  }

  public static GatehouseException notFound(SecurableRow row) {
    return GatehouseException.notFound(row.securableType().label(), row.fullName());
  }

  private static String describe(SecurableRow row) {
    return row.securableType().wireName() + " '" + row.fullName() + "'";
  }

  private boolean ownsChain(Caller caller, SecurableRow row) {
    return jdbi.withHandle(h -> {
      SecurableDao dao = h.attach(SecurableDao.class);
      for (SecurableRow r = row; r != null; r = r.parentId() == null ? null : dao.findById(r.parentId()).orElse(null)) {
        if (r.owner().equalsIgnoreCase(caller.name())
            || caller.groupNames().stream().anyMatch(r.owner()::equalsIgnoreCase)) {
          return true;
        }
      }
      return false;
    });
  }
}
