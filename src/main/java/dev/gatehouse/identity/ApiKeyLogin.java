package dev.gatehouse.identity;

import dev.gatehouse.audit.AuditContext;
import org.apache.shiro.authc.AuthenticationException;
import org.apache.shiro.authc.BearerToken;
import org.apache.shiro.mgt.SecurityManager;
import org.apache.shiro.subject.Subject;

/**
 * Signs a request in with the API key it presents, through Shiro, for the Jersey filter and the
 * inference servlet alike: the caller becomes the thread's {@link Callers#current()} and the audit
 * event's actor until {@link #signOut()}.
 */
public final class ApiKeyLogin {
  private final SecurityManager securityManager;

  public ApiKeyLogin(SecurityManager securityManager) {
    this.securityManager = securityManager;
  }

  /**
   * The key a request presents: {@code Authorization: Bearer <key>}, or on the inference endpoints
   * (whose Anthropic clients send it so) {@code x-api-key}; null when it presents none.
   */
  public static String presentedKey(String authorization, String apiKey, boolean inference) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return authorization.substring(7).trim();
    }
    return apiKey != null && inference ? apiKey.trim() : null;
  }

  /**
   * The caller {@code key} belongs to, now signed in; null for no key or a wrong, expired or revoked
   * one (all the same 401). A key that could not be checked at all (the database down) is not a
   * wrong key: what the realm threw is rethrown, for a 503.
   */
  public Caller signIn(String key) {
    Callers.clear();
    if (key == null) {
      return null;
    }
    Subject subject = new Subject.Builder(securityManager).sessionCreationEnabled(false).buildSubject();
    try {
      subject.login(new BearerToken(key));
    } catch (AuthenticationException e) {
      if (e.getCause() instanceof RuntimeException unchecked) {
        throw unchecked;
      }
      return null;
    }
    Caller caller = (Caller) subject.getPrincipal();
    Callers.set(caller);
    AuditContext.current().actor(caller.name(), caller.type().name(), caller.keyId());
    return caller;
  }

  public static void signOut() {
    Callers.clear();
  }
}
