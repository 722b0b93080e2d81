package dev.gatehouse.gateway;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code model} of a request: {@code catalog.schema.model} (the model's serving routes, else its
 * champion), {@code catalog.schema.model@alias} or {@code catalog.schema.model@3}.
 */
public record ModelRef(String modelFullName, String alias, Long version) {
  private static final Pattern REF = Pattern.compile(
      "^([A-Za-z0-9_]+\\.[A-Za-z0-9_]+\\.[A-Za-z0-9_]+)(?:@(?:([1-9][0-9]{0,17})|([A-Za-z][A-Za-z0-9_-]{0,254})))?$");

  public static ModelRef parse(String model) {
    Matcher m = model == null ? null : REF.matcher(model);
    if (m == null || !m.matches()) {
      throw model == null || model.isBlank()
          ? GatewayException.invalid("'model' is required.", "model")
          : GatewayException.modelNotFound(model);
    }
    String name = m.group(1).toLowerCase(Locale.ROOT);
    if (m.group(2) != null) {
      return new ModelRef(name, null, Long.parseLong(m.group(2)));
    }
    return new ModelRef(name, m.group(3) == null ? null : m.group(3).toLowerCase(Locale.ROOT), null);
  }

  /** How usage reports name what was asked for. */
  public String requested() {
    return modelFullName + (alias != null ? "@" + alias : version != null ? "@" + version : "");
  }
}
