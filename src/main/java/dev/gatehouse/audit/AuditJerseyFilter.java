package dev.gatehouse.audit;

import dev.gatehouse.common.ErrorBody;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.IOException;
import java.lang.reflect.Method;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * Tells the audit context what Jersey knows: the operation (the matched method, named after the
 * spec's operationId) and its feature, the path and query parameters, the parsed request body, and
 * the error code of a failed response. It runs before authentication so that refused requests are
 * named too.
 */
@Priority(Priorities.AUTHENTICATION - 100)
public class AuditJerseyFilter implements ContainerRequestFilter, ContainerResponseFilter, ReaderInterceptor {

  @Override
  public void filter(ContainerRequestContext request) {
    AuditContext context = AuditContext.current();
    ResourceMethod matched = ((ExtendedUriInfo) request.getUriInfo()).getMatchedResourceMethod();
    if (matched != null) {
      Method method = matched.getInvocable().getHandlingMethod();
      context.action(feature(matched), method.getName());
    }
    copy(request.getUriInfo().getPathParameters(), context);
    copy(request.getUriInfo().getQueryParameters(), context);
  }

  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (response.getEntity() instanceof ErrorBody error) {
      AuditContext.current().errorCode(error.errorCode());
    }
  }

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    Object body = context.proceed();
    AuditContext.current().param("body", body);
    return body;
  }

  /** The feature a generated interface belongs to is the package of the class implementing it. */
  private static String feature(ResourceMethod matched) {
    Class<?> handler = matched.getInvocable().getHandler().getHandlerClass();
    String pkg = handler.getPackageName();
    return pkg.substring(pkg.lastIndexOf('.') + 1);
  }

  private static void copy(MultivaluedMap<String, String> values, AuditContext context) {
    values.forEach((name, list) -> context.param(name, list.size() == 1 ? list.get(0) : list));
  }
}
