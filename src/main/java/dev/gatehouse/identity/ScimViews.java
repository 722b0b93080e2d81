package dev.gatehouse.identity;

import dev.gatehouse.api.model.ApiKeyInfo;
import dev.gatehouse.api.model.CreatedApiKey;
import dev.gatehouse.api.model.ScimEmail;
import dev.gatehouse.api.model.ScimGroup;
import dev.gatehouse.api.model.ScimGroupRef;
import dev.gatehouse.api.model.ScimMember;
import dev.gatehouse.api.model.ScimMeta;
import dev.gatehouse.api.model.ScimServicePrincipal;
import dev.gatehouse.api.model.ScimUser;
import java.time.Instant;
import java.util.List;

/** Rows to the wire shapes of the identity API. */
final class ScimViews {
  static final String USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
  static final String GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";
  static final String SP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServicePrincipal";
  static final String LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

  private ScimViews() {}

  static ScimUser user(PrincipalRow r, List<PrincipalRow> groups) {
    return new ScimUser()
        .schemas(List.of(USER_SCHEMA))
        .id(r.id())
        .userName(r.name())
        .displayName(r.displayName())
        .externalId(r.externalId())
        .emails(r.email() == null ? null : List.of(new ScimEmail().value(r.email()).primary(true)))
        .active(r.active())
        .groups(groupRefs(groups))
        .meta(meta(r));
  }

  static ScimServicePrincipal servicePrincipal(PrincipalRow r, List<PrincipalRow> groups) {
    return new ScimServicePrincipal()
        .schemas(List.of(SP_SCHEMA))
        .id(r.id())
        .applicationId(r.applicationId())
        .displayName(r.name())
        .externalId(r.externalId())
        .active(r.active())
        .groups(groupRefs(groups))
        .meta(meta(r));
  }

  static ScimGroup group(PrincipalRow r, List<PrincipalRow> members) {
    return new ScimGroup()
        .schemas(List.of(GROUP_SCHEMA))
        .id(r.id())
        .displayName(r.name())
        .externalId(r.externalId())
        .members(members.stream()
            .map(m -> new ScimMember().value(m.id()).display(m.name()).type(m.principalType().scimName()))
            .toList())
        .meta(meta(r));
  }

  static ApiKeyInfo apiKey(ApiKeyService.KeyView v) {
    ApiKeyRow r = v.row();
    return new ApiKeyInfo().id(r.id()).name(r.name()).principal(v.principal()).prefix(r.prefix())
        .createdAt(r.createdAt()).createdBy(r.createdBy()).expiresAt(r.expiresAt())
        .lastUsedAt(r.lastUsedAt()).revokedAt(r.revokedAt()).defaultTags(tags(v));
  }

  static CreatedApiKey createdApiKey(ApiKeyService.KeyView v) {
    ApiKeyRow r = v.row();
    return new CreatedApiKey().id(r.id()).name(r.name()).principal(v.principal()).prefix(r.prefix())
        .createdAt(r.createdAt()).createdBy(r.createdBy()).expiresAt(r.expiresAt()).key(v.secret())
        .defaultTags(tags(v));
  }

  private static java.util.Map<String, String> tags(ApiKeyService.KeyView v) {
    return v.defaultTags() == null || v.defaultTags().isEmpty() ? null : new java.util.LinkedHashMap<>(v.defaultTags());
  }

  private static List<ScimGroupRef> groupRefs(List<PrincipalRow> groups) {
    return groups.stream().map(g -> new ScimGroupRef().value(g.id()).display(g.name())).toList();
  }

  private static ScimMeta meta(PrincipalRow r) {
    return new ScimMeta()
        .resourceType(r.principalType().scimName())
        .created(Instant.ofEpochMilli(r.createdAt()).toString())
        .lastModified(Instant.ofEpochMilli(r.updatedAt()).toString());
  }
}
