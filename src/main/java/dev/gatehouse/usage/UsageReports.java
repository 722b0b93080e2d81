package dev.gatehouse.usage;

import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.PrincipalDao;
import dev.gatehouse.identity.PrincipalRow;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * Reads the ledger for reports. Principals read their own records only; metastore admins and
 * holders of AUDIT read everyone's (and may name a principal).
 */
public class UsageReports {
  /** A summary with more groups than this is refused: narrow the window or the keys. */
  public static final int MAX_ROWS = 10_000;

  private final Jdbi jdbi;
  private final Predicate<Caller> seesAll;

  public UsageReports(Jdbi jdbi, Predicate<Caller> seesAll) {
    this.jdbi = jdbi;
    this.seesAll = seesAll;
  }

  /** A summary: its rows and the totals over every matching record. */
  public record Summary(List<SummaryKey> keys, List<UsageReportDao.Row> rows, UsageReportDao.Sums totals) {}

  /** The filter the caller may use: its own records unless it sees all; a named principal must exist. */
  public UsageFilter filter(Caller caller, Long from, Long to, String principal, String model, String key) {
    if (from != null && to != null && from > to) {
      throw GatehouseException.invalid("'from' must not be after 'to'.");
    }
    String principalId = caller.principalId();
    if (seesAll.test(caller)) {
      principalId = principal == null ? null : jdbi.withHandle(h -> h.attach(PrincipalDao.class)
          .findByNameKey(PrincipalDao.key(principal)).map(PrincipalRow::id)
          .orElseThrow(() -> GatehouseException.notFound("Principal", principal)));
    } else if (principal != null && !PrincipalDao.key(principal).equals(PrincipalDao.key(caller.name()))) {
      throw GatehouseException.denied("Only metastore admins and holders of AUDIT may read others' usage.");
    }
    return new UsageFilter(from, to, principalId, model == null ? null : model.toLowerCase(Locale.ROOT), key);
  }

  public Summary summary(List<SummaryKey> keys, UsageFilter filter) {
    // one snapshot for rows and totals, so that they add up while calls are being recorded
    return jdbi.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, h -> {
      UsageReportDao dao = new UsageReportDao(h);
      List<UsageReportDao.Row> rows = dao.summary(keys, filter, MAX_ROWS + 1);
      if (rows.size() > MAX_ROWS) {
        throw GatehouseException.invalid("The summary has more than " + MAX_ROWS
            + " rows: narrow the window (from, to) or the group_by keys.");
      }
      return new Summary(keys, rows, dao.totals(filter));
    });
  }

  public List<UsageRecord> page(UsageFilter filter, Long afterTime, String afterId, int limit) {
    return jdbi.withHandle(h -> new UsageReportDao(h).page(filter, afterTime, afterId, limit));
  }

  public void export(UsageFilter filter, Consumer<UsageRecord> sink) {
    jdbi.useTransaction(h -> new UsageReportDao(h).stream(filter, sink));
  }

  public List<UsageReportDao.Variant> compare(String model, UsageFilter filter) {
    UsageFilter ofModel = new UsageFilter(filter.from(), filter.to(), filter.principalId(),
        model.toLowerCase(Locale.ROOT), filter.keyId());
    return jdbi.withHandle(h -> new UsageReportDao(h).compare(ofModel));
  }
}
