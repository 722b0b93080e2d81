package dev.gatehouse.bench;

import dev.gatehouse.db.DatabaseConfig;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.db.DataSourceFactory;
import io.dropwizard.db.ManagedDataSource;
import io.dropwizard.jdbi3.JdbiFactory;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/** A Jdbi built as the server builds it (Dropwizard's JdbiFactory over the pooled DataSource), for benchmarks. */
final class ServerJdbi {
  private ServerJdbi() {}

  static void run(DatabaseConfig db, String name, Consumer<Jdbi> body) throws Exception {
    Environment env = new Environment(name);
    DataSourceFactory factory = db.toDataSourceFactory();
    ManagedDataSource dataSource = factory.build(env.metrics(), "database");
    try {
      body.accept(new JdbiFactory().build(env, factory, dataSource, "database"));
    } finally {
      dataSource.stop();
    }
  }
}
