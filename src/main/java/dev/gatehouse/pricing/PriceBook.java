package dev.gatehouse.pricing;

import com.github.benmanes.caffeine.cache.Cache;
import dev.gatehouse.common.Caches;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Refreshed;
import dev.gatehouse.identity.Caller;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * The prices in force: the shipped list with the overrides on top, held in memory and reloaded
 * every {@code refresh} (so that an override made on another instance applies there within it).
 * A price for (connection, upstream model) is looked up most specific first: the connection's entry
 * for the model, for the model without its date suffix, for "*"; then the same for its provider.
 */
public class PriceBook {
  /** A dated snapshot name (gpt-4o-2024-08-06, claude-sonnet-4-5-20250929) falls back to its family. */
  private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$");

  private final Jdbi jdbi;
  private final Clock clock;
  private final PriceFile shipped;
  private final Function<String, Optional<String>> providerOfConnection;
  private final Cache<String, Optional<String>> providers;
  private final Refreshed<Map<String, PriceEntry>> entries;

  /** {@code providerOfConnection}: a connection's provider (openai, anthropic ...), empty if there is none. */
  public PriceBook(Jdbi jdbi, Clock clock, PriceFile shipped, Function<String, Optional<String>> providerOfConnection,
      Duration refresh) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.shipped = shipped;
    this.providerOfConnection = providerOfConnection;
    this.entries = new Refreshed<>(this::load, clock, refresh.toMillis());
    // A connection's type never changes, so its provider is remembered (a new connection: within 30 s).
    this.providers = Caches.builder().expireAfterWrite(Duration.ofSeconds(30)).maximumSize(10_000).build();
  }

  public PriceFile shipped() {
    return shipped;
  }

  /** The price of {@code upstreamModel} on {@code connectionName}, if any entry covers it. */
  public Optional<Price> find(String connectionName, String upstreamModel) {
    Map<String, PriceEntry> byKey = entries.get();
    String family = DATE_SUFFIX.matcher(upstreamModel).replaceFirst("");
    String connection = connectionName.toLowerCase(java.util.Locale.ROOT);
    for (String model : new String[] {upstreamModel, family, PriceEntry.ANY_MODEL}) {
      PriceEntry entry = byKey.get(PriceEntry.key(connection, null, model));
      if (entry != null) {
        return Optional.of(entry.price());
      }
    }
    Optional<String> provider = providerOf(connection);
    if (provider.isEmpty()) {
      return Optional.empty();
    }
    for (String model : new String[] {upstreamModel, family, PriceEntry.ANY_MODEL}) {
      PriceEntry entry = byKey.get(PriceEntry.key(null, provider.get(), model));
      if (entry != null) {
        return Optional.of(entry.price());
      }
    }
    return Optional.empty();
  }

  /** Every entry in force, overrides in place of the shipped entries they shadow. */
  public List<PriceEntry> inForce() {
    return List.copyOf(entries.get().values());
  }

  /** Replaces the overrides with {@code entries} (metastore admins only). */
  public List<PriceEntry> replaceOverrides(Caller caller, List<PriceEntry> overrides) {
    if (!caller.admin()) {
      throw GatehouseException.denied("Only metastore admins may set prices.");
    }
    Set<String> keys = new HashSet<>();
    for (PriceEntry entry : overrides) {
      if (!keys.add(entry.key())) {
        throw GatehouseException.invalid("The price entry " + entry.key() + " is given twice.");
      }
      if (entry.connectionName() != null && providerOf(entry.connectionName()).isEmpty()) {
        throw GatehouseException.notFound("Connection", entry.connectionName());
      }
    }
    long now = clock.millis();
    jdbi.useTransaction(h -> {
      PriceOverrideDao dao = h.attach(PriceOverrideDao.class);
      dao.deleteAll();
      overrides.forEach(e -> dao.insert(e.key(), e, now, caller.name()));
    });
    entries.reload();
    return inForce();
  }

  private Optional<String> providerOf(String connection) {
    return providers.get(connection, providerOfConnection);
  }

  private Map<String, PriceEntry> load() {
    Map<String, PriceEntry> byKey = new LinkedHashMap<>();
    shipped.entries().forEach(e -> byKey.put(e.key(), e));
    jdbi.withHandle(h -> h.attach(PriceOverrideDao.class).all()).forEach(r -> byKey.put(r.entryKey(), r.entry()));
    return java.util.Collections.unmodifiableMap(byKey);
  }
}
