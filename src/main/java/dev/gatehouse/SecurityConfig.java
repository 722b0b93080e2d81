package dev.gatehouse;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;

/** Keys and secrets: never logged; see README "Configuration". */
public class SecurityConfig {
  /** The key of the 'admin' user created on first start; empty: a fresh key is printed once. */
  @JsonProperty
  private String bootstrapAdminKey = "";

  /** Base64 of 32 bytes; encrypts provider secrets (AES-GCM) once connections exist. */
  @JsonProperty
  private String masterKey = "";

  /** How long a checked key (and a revoke, or a membership change) may be served from cache. */
  @JsonProperty
  private Duration authCacheTtl = Duration.seconds(1);

  public String getBootstrapAdminKey() {
    return bootstrapAdminKey;
  }

  public String getMasterKey() {
    return masterKey;
  }

  public Duration getAuthCacheTtl() {
    return authCacheTtl;
  }
}
