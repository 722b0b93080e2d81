package dev.gatehouse.gateway;

import dev.gatehouse.api.ConnectionsApi;
import dev.gatehouse.api.model.ConnectionInfo;
import dev.gatehouse.api.model.CreateConnection;
import dev.gatehouse.api.model.ListConnectionsResponse;
import dev.gatehouse.api.model.UpdateConnection;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

public class ConnectionsResource implements ConnectionsApi {
  private final ConnectionService connections;

  public ConnectionsResource(ConnectionService connections) {
    this.connections = connections;
  }

  @Override
  public Response createConnection(CreateConnection r) {
    var view = connections.create(Callers.current(), r.getName(),
        r.getConnectionType() == null ? null : ConnectionType.valueOf(r.getConnectionType().name()),
        r.getOptions(), r.getComment(), r.getProperties());
    return Response.ok(info(view)).build();
  }

  @Override
  public Response listConnections(Integer maxResults, String pageToken) {
    var page = connections.list(Callers.current(), PageRequest.of(maxResults, pageToken));
    return Response.ok(new ListConnectionsResponse()
        .connections(page.items().stream().map(ConnectionsResource::info).toList())
        .nextPageToken(page.nextPageToken())).build();
  }

  @Override
  public Response getConnection(String name) {
    return Response.ok(info(connections.get(Callers.current(), name))).build();
  }

  @Override
  public Response updateConnection(String name, UpdateConnection r) {
    var view = connections.update(Callers.current(), name, r.getOptions(), r.getNewName(), r.getOwner(),
        r.getComment());
    return Response.ok(info(view)).build();
  }

  @Override
  public Response deleteConnection(String name) {
    connections.delete(Callers.current(), name);
    return Response.ok(Map.of()).build();
  }

  static ConnectionInfo info(ConnectionService.View v) {
    var s = v.securable();
    ConnectionType type = v.details().connectionType();
    Map<String, String> options = new LinkedHashMap<>(v.options().values());
    if (v.details().apiKeyHint() != null) {
      options.put(ConnectionOptions.API_KEY, v.details().apiKeyHint());
    }
    return new ConnectionInfo()
        .name(s.name())
        .connectionId(s.id())
        .fullName(s.fullName())
        .connectionType(dev.gatehouse.api.model.ConnectionType.valueOf(type.name()))
        .options(options)
        .url(v.options().baseUrl(type))
        .comment(s.comment())
        .owner(s.owner())
        .properties(s.propertiesMap())
        .createdAt(s.createdAt())
        .createdBy(s.createdBy())
        .updatedAt(s.updatedAt())
        .updatedBy(s.updatedBy());
  }
}
