package dev.gatehouse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.client.api.ApiKeysApi;
import dev.gatehouse.client.api.CatalogsApi;
import dev.gatehouse.client.api.SchemasApi;
import dev.gatehouse.client.api.UsersApi;
import dev.gatehouse.client.model.CreateCatalog;
import dev.gatehouse.client.model.CreateSchema;
import dev.gatehouse.client.model.ScimUser;
import dev.gatehouse.db.DatabaseConfig;
import dev.gatehouse.testing.Scim;
import dev.gatehouse.testing.TestDatabases;
import dev.gatehouse.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What is written before a restart is there after it, keys included (on a file H2 or PostgreSQL). */
class RestartTest {
  @Test
  void dataAndKeysSurviveARestart() throws Exception {
    DatabaseConfig database = TestDatabases.durable();

    TestServer first = new TestServer(database);
    String userKey;
    String catalogId;
    try {
      first.start();
      catalogId = new CatalogsApi(first.admin()).createCatalog(new CreateCatalog().name("durable")
          .comment("kept").properties(Map.of("k", "v"))).getId();
      new SchemasApi(first.admin()).createSchema(new CreateSchema().catalogName("durable").name("inner"));
      userKey = first.userWithKey("survivor");
      new UsersApi(first.admin()).patchUser(
          new UsersApi(first.client(userKey)).getSelf().getId(),
          Scim.patch("replace", "displayName", "Survivor"));
    } finally {
      first.stop();
    }

    TestServer second = new TestServer(database);
    try {
      second.start();
      var catalog = new CatalogsApi(second.admin()).getCatalog("durable");
      assertThat(catalog.getId()).isEqualTo(catalogId);
      assertThat(catalog.getComment()).isEqualTo("kept");
      assertThat(catalog.getProperties()).isEqualTo(Map.of("k", "v"));
      assertThat(new SchemasApi(second.admin()).getSchema("durable.inner").getOwner()).isEqualTo("admin");

      ScimUser self = new UsersApi(second.client(userKey)).getSelf();
      assertThat(self.getUserName()).isEqualTo("survivor");
      assertThat(self.getDisplayName()).isEqualTo("Survivor");
      assertThat(new ApiKeysApi(second.client(userKey)).listApiKeys(null, null, null).getApiKeys()).hasSize(1);
      // the bootstrap ran once: still one admin user, one admins group
      assertThat(new UsersApi(second.admin()).listUsers("userName eq \"admin\"", null, null).getTotalResults())
          .isEqualTo(1);
    } finally {
      second.stop();
    }
  }
}
