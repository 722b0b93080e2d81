package dev.gatehouse.ratelimit;

import dev.gatehouse.api.RateLimitsApi;
import dev.gatehouse.api.model.ListRateLimitsResponse;
import dev.gatehouse.api.model.RateLimit;
import dev.gatehouse.api.model.RateLimitRuleInput;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;

public class RateLimitsResource implements RateLimitsApi {
  private final RateLimitService service;

  public RateLimitsResource(RateLimitService service) {
    this.service = service;
  }

  @Override
  public Response createRateLimit(RateLimitRuleInput r) {
    return Response.ok(view(service.create(Callers.current(), wire(r.getScopeType()), r.getScopeName(),
        r.getPerMember(), limits(r.getLimits())))).build();
  }

  @Override
  public Response listRateLimits(Integer maxResults, String pageToken) {
    var page = service.list(Callers.current(), PageRequest.of(maxResults, pageToken));
    return Response.ok(new ListRateLimitsResponse()
        .rateLimits(page.items().stream().map(RateLimitsResource::view).toList())
        .nextPageToken(page.nextPageToken())).build();
  }

  @Override
  public Response getRateLimit(String id) {
    return Response.ok(view(service.get(Callers.current(), id))).build();
  }

  @Override
  public Response updateRateLimit(String id, RateLimitRuleInput r) {
    return Response.ok(view(service.update(Callers.current(), id, wire(r.getScopeType()), r.getScopeName(),
        r.getPerMember(), limits(r.getLimits())))).build();
  }

  @Override
  public Response deleteRateLimit(String id) {
    service.delete(Callers.current(), id);
    return Response.ok(Map.of()).build();
  }

  private static String wire(Object value) {
    return value == null ? null : value.toString();
  }

  private static List<RateLimitService.LimitInput> limits(List<RateLimit> limits) {
    return limits == null ? null : limits.stream()
        .map(l -> l == null ? null : new RateLimitService.LimitInput(wire(l.getKind()), wire(l.getPer()), l.getLimit()))
        .toList();
  }

  static dev.gatehouse.api.model.RateLimitRule view(RateLimitRule rule) {
    return new dev.gatehouse.api.model.RateLimitRule()
        .id(rule.id())
        .scopeType(dev.gatehouse.api.model.RateLimitRule.ScopeTypeEnum.fromValue(rule.scope().type().wire()))
        .scopeName(rule.scope().name())
        .perMember(rule.scope().perMember())
        .limits(rule.limits().stream().map(l -> new RateLimit()
            .kind(RateLimit.KindEnum.fromValue(l.kind().wire()))
            .per(RateLimit.PerEnum.fromValue(l.per().wire()))
            .limit(l.limit())).toList())
        .createdAt(rule.createdAt())
        .createdBy(rule.createdBy())
        .updatedAt(rule.updatedAt())
        .updatedBy(rule.updatedBy());
  }
}
