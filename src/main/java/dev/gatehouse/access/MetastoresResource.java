package dev.gatehouse.access;

import dev.gatehouse.api.MetastoresApi;
import dev.gatehouse.api.model.GetMetastoreSummaryResponse;
import dev.gatehouse.securable.SecurableRow;
import jakarta.ws.rs.core.Response;

public class MetastoresResource implements MetastoresApi {
  @Override
  public Response getMetastoreSummary() {
    return Response.ok(new GetMetastoreSummaryResponse().metastoreId(SecurableRow.METASTORE_ID)).build();
  }
}
