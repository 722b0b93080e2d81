package dev.gatehouse.audit;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;

public class AuditConfig {
  /** Off only to measure what auditing costs; a production server keeps it on. */
  @JsonProperty
  private boolean enabled = true;

  /** Events older than this many days are archived to archiveDir and removed; 0 keeps everything. */
  @Min(0)
  @JsonProperty
  private int retentionDays = 0;

  @JsonProperty
  private String archiveDir = "./data/audit-archive";

  @JsonProperty
  private Duration retentionCheckInterval = Duration.hours(1);

  public boolean isEnabled() {
    return enabled;
  }

  public int getRetentionDays() {
    return retentionDays;
  }

  public String getArchiveDir() {
    return archiveDir;
  }

  public Duration getRetentionCheckInterval() {
    return retentionCheckInterval;
  }
}
