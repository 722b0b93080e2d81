package dev.gatehouse.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The list prices shipped with the service (classpath pricing/prices.json) and when they were taken. */
public record PriceFile(String takenOn, List<String> sources, List<PriceEntry> entries) {
  public static final String RESOURCE = "/pricing/prices.json";

  public static PriceFile load() {
    try (InputStream in = PriceFile.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      JsonNode root = new ObjectMapper().readTree(in);
      List<String> sources = new ArrayList<>();
      root.path("sources").forEach(s -> sources.add(s.asText()));
      List<PriceEntry> entries = new ArrayList<>();
      for (JsonNode e : root.path("prices")) {
        entries.add(PriceEntry.parse(text(e, "connection_name"), text(e, "provider"), text(e, "upstream_model"),
            text(e, "input_per_million_usd"), text(e, "output_per_million_usd"),
            text(e, "cached_input_per_million_usd"), text(e, "cache_write_per_million_usd"), PriceEntry.BUILTIN));
      }
      return new PriceFile(root.path("taken_on").asText(), List.copyOf(sources), List.copyOf(entries));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
