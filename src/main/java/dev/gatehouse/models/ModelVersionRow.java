package dev.gatehouse.models;

/**
 * A model version as read: its securable's fields (full name catalog.schema.model.N, comment,
 * storage location, times) joined with its registration details.
 */
public record ModelVersionRow(
    String id,
    String modelId,
    long version,
    String fullName,
    RegistrationStatus status,
    String source,
    String runId,
    String comment,
    String storageLocation,
    long createdAt,
    String createdBy,
    Long updatedAt,
    String updatedBy) {

  /** The same version with new registration details (status, source, run id). */
  public ModelVersionRow withDetails(RegistrationStatus newStatus, String newSource, String newRunId) {
    return new ModelVersionRow(id, modelId, version, fullName, newStatus, newSource, newRunId, comment,
        storageLocation, createdAt, createdBy, updatedAt, updatedBy);
  }
}
