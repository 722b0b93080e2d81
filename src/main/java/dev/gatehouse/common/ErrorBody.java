package dev.gatehouse.common;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The one error shape of the catalog and admin APIs: {"error_code": ..., "message": ...}. */
public record ErrorBody(@JsonProperty("error_code") String errorCode, @JsonProperty("message") String message) {

  public static Response response(ErrorCode code, String message) {
    return response(code.status(), code.name(), message);
  }

  public static Response response(int status, String code, String message) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON_TYPE)
        .entity(new ErrorBody(code, message))
        .build();
  }
}
