package dev.gatehouse.models;

/**
 * Where a model version stands in its registration: pending while its artifacts are uploaded, then
 * READY or FAILED_REGISTRATION for good. Stored by name in model_versions.status.
 */
public enum RegistrationStatus {
  PENDING_REGISTRATION,
  READY,
  FAILED_REGISTRATION;

  public boolean isFinal() {
    return this != PENDING_REGISTRATION;
  }
}
