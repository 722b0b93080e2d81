package dev.gatehouse.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The first-start demo: demo.llm.assistant answers through its MOCK connection, champion and challenger. */
class DemoSeedTest {
  @RegisterExtension
  static final TestServer server = new TestServer().withDemo();

  @Test
  void theDemoModelServesBothAliases() throws Exception {
    var model = new ObjectMapper().readTree(server.call("GET", "/api/2.1/unity-catalog/models/demo.llm.assistant",
        null, TestServer.ADMIN_KEY).body());
    assertThat(model.get("aliases").toString()).contains("champion").contains("challenger");
    for (String name : new String[] {"demo.llm.assistant", "demo.llm.assistant@challenger"}) {
      var answer = server.call("POST", "/v1/chat/completions", "{\"model\":\"" + name
          + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello\"}]}", TestServer.ADMIN_KEY);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).contains("\"completion_tokens\":24");
    }
  }
}
