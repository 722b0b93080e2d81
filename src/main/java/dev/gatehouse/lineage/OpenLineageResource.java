package dev.gatehouse.lineage;

import dev.gatehouse.api.OpenLineageApi;
import dev.gatehouse.api.model.OpenLineageRunEvent;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;

public class OpenLineageResource implements OpenLineageApi {
  private final OpenLineageIngest ingest;

  public OpenLineageResource(OpenLineageIngest ingest) {
    this.ingest = ingest;
  }

  @Override
  public Response ingestOpenLineageEvent(OpenLineageRunEvent event) {
    return Response.ok(LineageResource.result(ingest.ingest(Callers.current(), event))).build();
  }
}
