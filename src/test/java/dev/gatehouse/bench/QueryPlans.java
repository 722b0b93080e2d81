package dev.gatehouse.bench;

import dev.gatehouse.access.GrantDao;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.securable.SecurableType;
import dev.gatehouse.testing.TestDatabases;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/**
 * Prints the executed plans of the queries a check and a listing are made of
 * ({@code -Dbench.explain=true}). The SQL is read from {@link GrantDao}'s annotations, so the plans
 * are those of the code under test, not of a copy that may drift.
 */
final class QueryPlans {
  private final Jdbi jdbi;

  QueryPlans(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  void checkOf(Caller caller, String securableId) {
    explain("chainWithGrants", q -> q.bind("id", securableId).bindList("principalIds", caller.principalIds()));
    explain("holdsAnythingInside", q -> q.bind("id", securableId).bindList("principalIds", caller.principalIds()));
    explain("ownsAnythingInside", q -> q.bind("id", securableId).bindList("names", names(caller)));
  }

  void listingOf(Caller caller, String parentId, String after, int limit) {
    // The shape GrantDao#listVisibleChildren picks for this database.
    String method = TestDatabases.postgres() ? "listVisibleChildrenProbing" : "listVisibleChildrenFromSet";
    explain(method + " (after " + after + ")", q -> q.bind("parentId", parentId)
        .bind("type", SecurableType.TABLE).bind("after", after).bind("limit", limit)
        .bindList("principalIds", caller.principalIds()).bindList("names", names(caller)));
  }

  private void explain(String label, java.util.function.UnaryOperator<Query> bind) {
    String method = label.split(" ")[0];
    String sql = sqlOf(method);
    String prefix = TestDatabases.postgres() ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN ANALYZE ";
    jdbi.useHandle(h -> {
      System.out.println("--- plan: " + label);
      for (String line : bind.apply(h.createQuery(prefix + sql)).mapTo(String.class).list()) {
        System.out.println(line);
      }
    });
  }

  private static String sqlOf(String method) {
    Method m = Arrays.stream(GrantDao.class.getMethods()).filter(x -> x.getName().equals(method)).findFirst()
        .orElseThrow();
    return m.getAnnotation(SqlQuery.class).value();
  }

  private static Collection<String> names(Caller caller) {
    Set<String> names = new HashSet<>(caller.groupNames());
    names.add(caller.name());
    return names;
  }
}
