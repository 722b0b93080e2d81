package dev.gatehouse.identity;

import dev.gatehouse.common.ErrorBody;
import dev.gatehouse.common.ErrorCode;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/**
 * Authenticates every API request through Shiro: {@code Authorization: Bearer <key>} (and
 * {@code x-api-key} on the inference endpoints). No key, a wrong, expired or revoked key: the same 401.
 * The resolved {@link Caller} is the request's SecurityContext principal.
 */
@Priority(Priorities.AUTHENTICATION)
public class AuthenticationFilter implements ContainerRequestFilter, ContainerResponseFilter {
  private final ApiKeyLogin login;

  public AuthenticationFilter(ApiKeyLogin login) {
    this.login = login;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String key = ApiKeyLogin.presentedKey(request.getHeaderString(HttpHeaders.AUTHORIZATION),
        request.getHeaderString("x-api-key"), request.getUriInfo().getPath().startsWith("v1/"));
    Caller caller = login.signIn(key);
    if (caller == null) {
      abort(request);
      return;
    }
    boolean secure = request.getSecurityContext().isSecure();
    request.setSecurityContext(new CallerSecurityContext(caller, secure));
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    ApiKeyLogin.signOut();
  }

  /** The API's 401; on /v1 {@code ProviderErrorShape} gives it the provider's shape. */
  private static void abort(ContainerRequestContext request) {
    request.abortWith(ErrorBody.response(ErrorCode.UNAUTHENTICATED, "A valid API key is required."));
  }

  private record CallerSecurityContext(Caller caller, boolean secure) implements SecurityContext {
    @Override
    public Principal getUserPrincipal() {
      return caller;
    }

    @Override
    public boolean isUserInRole(String role) {
      return Caller.ADMINS_GROUP.equals(role) ? caller.admin() : caller.groupNames().contains(role);
    }

    @Override
    public boolean isSecure() {
      return secure;
    }

    @Override
    public String getAuthenticationScheme() {
      return "Bearer";
    }
  }
}
