package dev.gatehouse.lineage;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** How OpenLineage events become lineage: which events count and how dataset names map to securables. */
public class LineageConfig {
  /** OpenLineage event types that create edges, comma-separated; the others are accepted and ignored. */
  @NotNull
  @JsonProperty
  private String edgeEventTypes = "COMPLETE";

  /** A dataset whose name is the full name of a securable maps to it, whatever its namespace. */
  @JsonProperty
  private boolean matchFullNames = true;

  /** Rules tried in order before the full-name match; the first whose namespace matches applies. */
  @Valid
  @NotNull
  @JsonProperty
  private List<NamespaceRule> namespaces = new ArrayList<>();

  /**
   * Maps the datasets of one namespace (exact, or a prefix when it ends with {@code *}): the dataset
   * name loses {@code stripPrefix} when it starts with it and gains {@code addPrefix}, and the result
   * is looked up as a securable's full name. Example: namespace {@code postgres://db:5432}, name
   * {@code analytics.public.orders}, stripPrefix {@code analytics.}, addPrefix {@code warehouse.}
   * gives {@code warehouse.public.orders}.
   */
  public static class NamespaceRule {
    @NotNull
    @JsonProperty
    private String namespace;

    @JsonProperty
    private String stripPrefix = "";

    @JsonProperty
    private String addPrefix = "";

    public NamespaceRule() {}

    public NamespaceRule(String namespace, String stripPrefix, String addPrefix) {
      this.namespace = namespace;
      this.stripPrefix = stripPrefix == null ? "" : stripPrefix;
      this.addPrefix = addPrefix == null ? "" : addPrefix;
    }

    boolean matches(String datasetNamespace) {
      return namespace.endsWith("*")
          ? datasetNamespace.startsWith(namespace.substring(0, namespace.length() - 1))
          : datasetNamespace.equals(namespace);
    }

    String apply(String name) {
      String rest = !stripPrefix.isEmpty() && name.startsWith(stripPrefix) ? name.substring(stripPrefix.length()) : name;
      return addPrefix + rest;
    }
  }

  public Set<String> edgeEventTypes() {
    return Arrays.stream(edgeEventTypes.split(","))
        .map(s -> s.trim().toUpperCase(Locale.ROOT))
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  public boolean isMatchFullNames() {
    return matchFullNames;
  }

  public List<NamespaceRule> getNamespaces() {
    return namespaces;
  }

  public LineageConfig withNamespaces(List<NamespaceRule> rules) {
    this.namespaces = new ArrayList<>(rules);
    return this;
  }
}
