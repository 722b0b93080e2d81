package dev.gatehouse.budget;

import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Ids;
import dev.gatehouse.common.Page;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.common.Refreshed;
import dev.gatehouse.identity.ApiKeyDao;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.identity.PrincipalDao;
import dev.gatehouse.identity.PrincipalRow;
import dev.gatehouse.identity.PrincipalType;
import dev.gatehouse.quota.Scope;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableType;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Budgets: created, changed and deleted by metastore admins; read by admins and AUDIT holders (all)
 * and by principals (those of their keys, themselves, their groups and global ones). Each is shown
 * with what was spent and is reserved in its current period.
 */
public class BudgetService {
  static final int MAX_THRESHOLDS = 10;
  private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");

  private final Jdbi jdbi;
  private final Clock clock;
  private final Predicate<Caller> seesAll;
  private final Refreshed<List<BudgetRow>> active;

  /** {@code seesAll}: whether a caller may read every budget (admins, holders of AUDIT). */
  public BudgetService(Jdbi jdbi, Clock clock, Predicate<Caller> seesAll, Duration refresh) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.seesAll = seesAll;
    this.active = new Refreshed<>(() -> jdbi.withHandle(h -> h.attach(BudgetDao.class).all()), clock,
        refresh.toMillis());
  }

  /** A budget with its current period and what that period holds. */
  public record View(BudgetRow row, long periodStart, Long periodEnd, BudgetSpendDao.Spend spend) {}

  /** What a create or an update asks for; null fields of an update stay as they are. */
  public record Change(BigDecimal amountUsd, Period period, Boolean hard, List<Integer> alertThresholds,
      String webhookUrl) {}

  /** Every budget, as the gateway applies them (reloaded every refresh interval). */
  public List<BudgetRow> active() {
    return active.get();
  }

  public View create(Caller caller, Scope scope, Change change) {
    requireAdmin(caller);
    if (change.amountUsd() == null || change.period() == null) {
      throw GatehouseException.invalid("'amount_usd' and 'period' are required.");
    }
    long now = clock.millis();
    BudgetRow row = new BudgetRow(Ids.newId(), scope.type().wire(), scope.name(), scope.perMember(),
        change.amountUsd(), change.period().wire(), !Boolean.FALSE.equals(change.hard()),
        thresholds(change.alertThresholds()), webhook(change.webhookUrl()), now, caller.name(), now);
    AuditContext.current().target("budget", row.id());
    View view = jdbi.inTransaction(h -> {
      requireExists(h, scope);
      h.attach(BudgetDao.class).insert(row);
      return view(h, row);
    });
    active.reload();
    return view;
  }

  public View update(Caller caller, String id, Change change) {
    requireAdmin(caller);
    AuditContext.current().target("budget", id);
    View view = jdbi.inTransaction(h -> {
      BudgetRow old = find(h, caller, id);
      BudgetRow row = new BudgetRow(old.id(), old.scopeType(), old.scopeName(), old.perMember(),
          change.amountUsd() == null ? old.amountUsd() : change.amountUsd(), old.period(),
          change.hard() == null ? old.hard() : change.hard(),
          change.alertThresholds() == null ? old.alertThresholds() : thresholds(change.alertThresholds()),
          change.webhookUrl() == null ? old.webhookUrl() : webhook(change.webhookUrl()), old.createdAt(),
          old.createdBy(), clock.millis());
      h.attach(BudgetDao.class).update(row);
      return view(h, row);
    });
    active.reload();
    return view;
  }

  public void delete(Caller caller, String id) {
    requireAdmin(caller);
    AuditContext.current().target("budget", id);
    jdbi.useTransaction(h -> h.attach(BudgetDao.class).delete(find(h, caller, id).id()));
    active.reload();
  }

  public View get(Caller caller, String id) {
    return jdbi.withHandle(h -> view(h, find(h, caller, id)));
  }

  public Page<View> list(Caller caller, PageRequest page) {
    return jdbi.withHandle(h -> {
      List<BudgetRow> rows = h.attach(BudgetDao.class).all().stream()
          .filter(b -> page.after() == null || b.id().compareTo(page.after()) > 0)
          .filter(b -> visible(caller, b))
          .limit(page.fetchSize())
          .toList();
      return Page.of(rows, page, BudgetRow::id).map(b -> view(h, b));
    });
  }

  /** Parses a decimal-string amount: positive, at most 10 decimals. */
  public static BigDecimal amount(String text) {
    if (text == null) {
      return null;
    }
    BigDecimal amount;
    try {
      amount = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw GatehouseException.invalid("'amount_usd' must be a decimal string such as \"25.00\", not '" + text + "'.");
    }
    if (amount.signum() <= 0 || amount.compareTo(MAX_AMOUNT) > 0 || amount.stripTrailingZeros().scale() > 10) {
      throw GatehouseException.invalid("'amount_usd' must be above 0, at most 1e12, with at most 10 decimals.");
    }
    return amount;
  }

  private View view(Handle h, BudgetRow row) {
    Period period = row.periodKind();
    long start = period.start(clock.millis());
    return new View(row, start, period.end(start), h.attach(BudgetSpendDao.class).periodTotal(row.id(), start));
  }

  private BudgetRow find(Handle h, Caller caller, String id) {
    return h.attach(BudgetDao.class).find(id).filter(b -> visible(caller, b))
        .orElseThrow(() -> GatehouseException.notFound("Budget", id));
  }

  /** Budgets that apply to the caller itself are its to see; model budgets only auditors'. */
  private boolean visible(Caller caller, BudgetRow budget) {
    Scope scope = budget.scope();
    return seesAll.test(caller) || (scope.type() != Scope.Type.MODEL && scope.covers(caller, ""));
  }

  private static void requireAdmin(Caller caller) {
    if (!caller.admin()) {
      throw GatehouseException.denied("Only metastore admins may manage budgets.");
    }
  }

  /** The scope must name something that exists: 404 otherwise, 400 for a principal of the wrong kind. */
  private static void requireExists(Handle h, Scope scope) {
    switch (scope.type()) {
      case GLOBAL -> { }
      case KEY -> h.attach(ApiKeyDao.class).findById(scope.name())
          .orElseThrow(() -> GatehouseException.notFound("API key", scope.name()));
      case PRINCIPAL, GROUP -> {
        PrincipalRow p = h.attach(PrincipalDao.class).findByNameKey(scope.name())
            .orElseThrow(() -> GatehouseException.notFound(scope.type() == Scope.Type.GROUP ? "Group" : "Principal",
                scope.name()));
        if ((p.principalType() == PrincipalType.GROUP) != (scope.type() == Scope.Type.GROUP)) {
          throw GatehouseException.invalid("'" + scope.name() + "' is a " + p.principalType().name().toLowerCase(
              java.util.Locale.ROOT) + ": use scope_type " + (p.principalType() == PrincipalType.GROUP ? "group"
              : "principal") + ".");
        }
      }
      case MODEL -> {
        int parts = scope.name().split("\\.", -1).length;
        SecurableType type = switch (parts) {
          case 1 -> SecurableType.CATALOG;
          case 2 -> SecurableType.SCHEMA;
          case 3 -> SecurableType.REGISTERED_MODEL;
          default -> throw GatehouseException.invalid("A model scope names a catalog, a schema or a model.");
        };
        h.attach(SecurableDao.class).find(type, scope.name())
            .orElseThrow(() -> GatehouseException.notFound(type.wireName(), scope.name()));
      }
      default -> throw new IllegalStateException(scope.type().name());
    }
  }

  private static String thresholds(List<Integer> given) {
    if (given == null || given.isEmpty()) {
      return "";
    }
    TreeSet<Integer> sorted = new TreeSet<>();
    for (Integer pct : given) {
      if (pct == null || pct < 1 || pct > 1000 || !sorted.add(pct)) {
        throw GatehouseException.invalid("'alert_thresholds' are distinct percentages from 1 to 1000.");
      }
    }
    if (sorted.size() > MAX_THRESHOLDS) {
      throw GatehouseException.invalid("At most " + MAX_THRESHOLDS + " alert thresholds.");
    }
    return sorted.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private static String webhook(String url) {
    if (url == null || url.isBlank()) {
      return null;
    }
    try {
      URI uri = new URI(url.trim());
      if (url.length() > 2048 || uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw new java.net.URISyntaxException(url, "not an absolute http(s) URL");
      }
      return uri.toString();
    } catch (java.net.URISyntaxException e) {
      throw GatehouseException.invalid("'webhook_url' must be an absolute http or https URL (at most 2048 characters).");
    }
  }
}
