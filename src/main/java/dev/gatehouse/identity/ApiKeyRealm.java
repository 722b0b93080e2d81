package dev.gatehouse.identity;

import org.apache.shiro.authc.AuthenticationException;
import org.apache.shiro.authc.AuthenticationInfo;
import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.authc.BearerToken;
import org.apache.shiro.authc.SimpleAuthenticationInfo;
import org.apache.shiro.authc.credential.AllowAllCredentialsMatcher;
import org.apache.shiro.realm.AuthenticatingRealm;

/**
 * Shiro realm over API keys. The key is verified (hash compared in constant time) by
 * {@link ApiKeyAuthenticator}; the principal Shiro records is the resolved {@link Caller}.
 */
public class ApiKeyRealm extends AuthenticatingRealm {
  private final ApiKeyAuthenticator authenticator;

  public ApiKeyRealm(ApiKeyAuthenticator authenticator) {
    this.authenticator = authenticator;
    setName("api-keys");
    setAuthenticationTokenClass(BearerToken.class);
    // The authenticator has already compared the secret; there is nothing left for Shiro to match.
    setCredentialsMatcher(new AllowAllCredentialsMatcher());
    setAuthenticationCachingEnabled(false);
  }

  @Override
  protected AuthenticationInfo doGetAuthenticationInfo(AuthenticationToken token) {
    String key = ((BearerToken) token).getToken();
    Caller caller = authenticator.authenticate(key)
        .orElseThrow(() -> new AuthenticationException("invalid key"));
    return new SimpleAuthenticationInfo(caller, key, getName());
  }
}
