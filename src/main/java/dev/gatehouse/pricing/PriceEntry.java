package dev.gatehouse.pricing;

import dev.gatehouse.common.GatehouseException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Set;

/**
 * One entry of the price list: a provider's or a connection's price for an upstream model ("*":
 * every model of it without an entry of its own). {@code source}: builtin (the shipped file) or
 * override (set through the API).
 */
public record PriceEntry(String connectionName, String provider, String upstreamModel, BigDecimal input,
    BigDecimal output, BigDecimal cachedInput, BigDecimal cacheWrite, String source) {
  public static final String BUILTIN = "builtin";
  public static final String OVERRIDE = "override";
  public static final String ANY_MODEL = "*";
  /** Decimals a price may have: keeps every cost exact at scale 10 (see {@link Price}). */
  public static final int MAX_SCALE = 4;
  static final Set<String> PROVIDERS = Set.of("openai", "anthropic", "openai_compatible", "mock");
  private static final BigDecimal MAX_PRICE = BigDecimal.valueOf(1_000_000);

  /** The entry's identity: one per connection or provider and model. */
  public String key() {
    return key(connectionName, provider, upstreamModel);
  }

  static String key(String connectionName, String provider, String upstreamModel) {
    return connectionName != null ? "connection:" + connectionName + "/" + upstreamModel
        : "provider:" + provider + "/" + upstreamModel;
  }

  public Price price() {
    return new Price(input, output, cachedInput, cacheWrite, source + " " + key());
  }

  /** An entry from its wire form, checked: exactly one of connection or provider, prices >= 0. */
  public static PriceEntry parse(String connectionName, String provider, String upstreamModel, String input,
      String output, String cachedInput, String cacheWrite, String source) {
    boolean byConnection = connectionName != null && !connectionName.isBlank();
    boolean byProvider = provider != null && !provider.isBlank();
    if (byConnection == byProvider) {
      throw GatehouseException.invalid("A price entry names exactly one of 'connection_name' and 'provider'.");
    }
    String prov = byProvider ? provider.trim().toLowerCase(Locale.ROOT) : null;
    if (prov != null && !PROVIDERS.contains(prov)) {
      throw GatehouseException.invalid("'provider' must be one of " + PROVIDERS + ", not '" + provider + "'.");
    }
    if (upstreamModel == null || upstreamModel.isBlank() || upstreamModel.length() > 255) {
      throw GatehouseException.invalid("'upstream_model' is required (at most 255 characters).");
    }
    BigDecimal in = money("input_per_million_usd", input, null);
    return new PriceEntry(byConnection ? connectionName.trim().toLowerCase(Locale.ROOT) : null, prov,
        upstreamModel.trim(), in, money("output_per_million_usd", output, null),
        money("cached_input_per_million_usd", cachedInput, in), money("cache_write_per_million_usd", cacheWrite, in),
        source);
  }

  private static BigDecimal money(String field, String text, BigDecimal fallback) {
    if (text == null || text.isBlank()) {
      if (fallback == null) {
        throw GatehouseException.invalid("'" + field + "' is required.");
      }
      return fallback;
    }
    BigDecimal value;
    try {
      value = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw GatehouseException.invalid("'" + field + "' must be a decimal string such as \"2.50\", not '" + text + "'.");
    }
    if (value.signum() < 0 || value.compareTo(MAX_PRICE) > 0) {
      throw GatehouseException.invalid("'" + field + "' must be between 0 and 1000000.");
    }
    BigDecimal plain = value.stripTrailingZeros();
    if (plain.scale() > MAX_SCALE) {
      throw GatehouseException.invalid("'" + field + "' may have at most " + MAX_SCALE + " decimals.");
    }
    return plain.scale() < 2 ? plain.setScale(2) : plain;
  }
}
