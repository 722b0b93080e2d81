package dev.gatehouse.securable;

import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.identity.PrincipalDao;
import dev.gatehouse.identity.PrincipalRow;
import org.jdbi.v3.core.Handle;

/** New owners must exist; the stored owner is the principal's own spelling of its name. */
public final class Owners {
  private Owners() {}

  public static String resolve(Handle h, String owner) {
    return h.attach(PrincipalDao.class).findByNameKey(PrincipalDao.key(owner))
        .map(PrincipalRow::name)
        .orElseThrow(() -> GatehouseException.invalid("Principal '" + owner + "' does not exist."));
  }
}
