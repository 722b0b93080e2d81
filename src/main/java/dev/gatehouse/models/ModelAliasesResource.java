package dev.gatehouse.models;

import dev.gatehouse.api.ModelAliasesApi;
import dev.gatehouse.api.model.SetRegisteredModelAlias;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;
import java.util.Map;

public class ModelAliasesResource implements ModelAliasesApi {
  private final ModelAliasService aliases;

  public ModelAliasesResource(ModelAliasService aliases) {
    this.aliases = aliases;
  }

  @Override
  public Response setRegisteredModelAlias(String fullName, String alias, SetRegisteredModelAlias r) {
    return Response.ok(ModelViews.alias(aliases.set(Callers.current(), fullName, alias, r.getVersionNum()))).build();
  }

  @Override
  public Response getModelVersionByAlias(String fullName, String alias) {
    return Response.ok(ModelViews.version(aliases.get(Callers.current(), fullName, alias))).build();
  }

  @Override
  public Response deleteRegisteredModelAlias(String fullName, String alias) {
    aliases.delete(Callers.current(), fullName, alias);
    return Response.ok(Map.of()).build();
  }
}
