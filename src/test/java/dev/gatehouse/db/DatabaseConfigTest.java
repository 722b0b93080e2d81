package dev.gatehouse.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

class DatabaseConfigTest {
  @Test
  void anEmptyPasswordLineMeansNoPasswordNotNull() throws Exception {
    // config.yml's `password: ${GATEHOUSE_DB_PASSWORD:-}` with the variable unset; the commands
    // (db migrate, audit verify) hand the password to the driver as it is, and null broke them
    var config = new ObjectMapper(new YAMLFactory()).readValue("url: jdbc:h2:mem:x\nuser: u\npassword:\n",
        DatabaseConfig.class);
    assertThat(config.getPassword()).isEmpty();
  }

  @Test
  void h2WritesEachCommitBeforeAnsweringSoThatAKilledProcessLosesNothingAcknowledged() {
    var config = new DatabaseConfig();
    config.setUrl("jdbc:h2:file:./data/gatehouse");
    assertThat(config.effectiveUrl()).contains(";WRITE_DELAY=0").contains(";MODE=PostgreSQL");
  }
}
