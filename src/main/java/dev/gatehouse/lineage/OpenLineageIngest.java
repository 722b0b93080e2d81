package dev.gatehouse.lineage;

import dev.gatehouse.api.model.OpenLineageColumnLineageField;
import dev.gatehouse.api.model.OpenLineageDataset;
import dev.gatehouse.api.model.OpenLineageInputField;
import dev.gatehouse.api.model.OpenLineageJob;
import dev.gatehouse.api.model.OpenLineageRunEvent;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.lineage.LineageEdges.ColumnMapping;
import dev.gatehouse.lineage.LineageEdges.Edge;
import dev.gatehouse.lineage.LineageEdges.Producer;
import dev.gatehouse.lineage.LineageEdges.Result;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Turns an OpenLineage RunEvent into edges: every input (including datasets named only by the
 * outputs' columnLineage facets) to every output, carrying the column mappings of that facet, with
 * the job as producer and the run id, so that the same run ingested again adds nothing. Events of a
 * type not configured to create edges are accepted and change nothing (clients send START, RUNNING
 * and COMPLETE for every run). A dataset read and written by the same run (a MERGE) is no edge.
 */
public class OpenLineageIngest {
  static final Set<String> EVENT_TYPES = Set.of("START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER");
  static final int MAX_DATASETS = 1000;
  static final int MAX_EDGES = 10_000;

  private final Jdbi jdbi;
  private final LineageRecorder recorder;
  private final LineageConfig config;
  private final DatasetMapper mapper;

  public OpenLineageIngest(Jdbi jdbi, LineageRecorder recorder, LineageConfig config) {
    this.jdbi = jdbi;
    this.recorder = recorder;
    this.config = config;
    this.mapper = new DatasetMapper(config);
  }

  private record DatasetId(String namespace, String name) {}

  public Result ingest(Caller caller, OpenLineageRunEvent event) {
    String type = event.getEventType() == null ? "OTHER" : event.getEventType().toUpperCase(Locale.ROOT);
    if (!EVENT_TYPES.contains(type)) {
      throw GatehouseException.invalid("'eventType' must be one of START, RUNNING, COMPLETE, ABORT, FAIL, OTHER.");
    }
    long time = eventTime(event.getEventTime());
    OpenLineageJob job = event.getJob();
    Producer producer = Producer.of(producerType(job), job.getNamespace() + "/" + job.getName(),
        event.getRun().getRunId());
    List<OpenLineageDataset> outputs = orEmpty(event.getOutputs());
    Map<DatasetId, Boolean> inputs = new LinkedHashMap<>();
    for (OpenLineageDataset in : orEmpty(event.getInputs())) {
      inputs.put(new DatasetId(in.getNamespace(), in.getName()), true);
    }
    for (OpenLineageDataset out : outputs) {
      columnFields(out).values().forEach(f -> f.getInputFields()
          .forEach(i -> inputs.put(new DatasetId(i.getNamespace(), i.getName()), true)));
    }
    if (inputs.size() > MAX_DATASETS || outputs.size() > MAX_DATASETS
        || (long) inputs.size() * outputs.size() > MAX_EDGES) {
      throw GatehouseException.invalid("An event may link at most " + MAX_DATASETS + " inputs and outputs and "
          + MAX_EDGES + " input-output pairs.");
    }
    if (!config.edgeEventTypes().contains(type)) {
      return Result.IGNORED;
    }
    return jdbi.inTransaction(h -> {
      Map<DatasetId, Node> sources = new LinkedHashMap<>();
      for (DatasetId id : inputs.keySet()) {
        sources.put(id, mapper.map(h, id.namespace(), id.name(), false));
      }
      List<Edge> edges = new ArrayList<>();
      for (OpenLineageDataset out : outputs) {
        Node target = mapper.map(h, out.getNamespace(), out.getName(), true);
        Map<String, OpenLineageColumnLineageField> fields = columnFields(out);
        for (var source : sources.entrySet()) {
          if (!source.getValue().key().equals(target.key())) {
            edges.add(new Edge(source.getValue(), target, columns(fields, source.getKey()), producer, time,
                out.getNamespace() + "/" + out.getName()));
          }
        }
      }
      return edges.isEmpty() ? new Result(0, 0, 0, false) : recorder.write(h, caller, edges);
    });
  }

  /** The output columns made from {@code source}, each with the source's fields it is made from. */
  private static List<ColumnMapping> columns(Map<String, OpenLineageColumnLineageField> fields, DatasetId source) {
    List<ColumnMapping> result = new ArrayList<>();
    new TreeMap<>(fields).forEach((outColumn, field) -> {
      List<String> from = field.getInputFields().stream()
          .filter(i -> i.getNamespace().equals(source.namespace()) && i.getName().equals(source.name()))
          .map(OpenLineageInputField::getField)
          .map(f -> LineageEdges.column("inputFields.field", f))
          .distinct()
          .toList();
      if (!from.isEmpty()) {
        result.add(new ColumnMapping(from, LineageEdges.column("columnLineage field", outColumn)));
      }
    });
    return result;
  }

  private static Map<String, OpenLineageColumnLineageField> columnFields(OpenLineageDataset dataset) {
    if (dataset.getFacets() == null || dataset.getFacets().getColumnLineage() == null) {
      return Map.of();
    }
    return dataset.getFacets().getColumnLineage().getFields();
  }

  /** The jobType facet's kind, as a producer type: QUERY and NOTEBOOK as such, a DAG is a pipeline. */
  private static String producerType(OpenLineageJob job) {
    String kind = job.getFacets() == null || job.getFacets().getJobType() == null
        || job.getFacets().getJobType().getJobType() == null
        ? "" : job.getFacets().getJobType().getJobType().toUpperCase(Locale.ROOT);
    return switch (kind) {
      case "QUERY", "NOTEBOOK", "PIPELINE" -> kind;
      case "DAG" -> "PIPELINE";
      default -> "JOB";
    };
  }

  private static long eventTime(String value) {
    try {
      return OffsetDateTime.parse(value).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw GatehouseException.invalid("'eventTime' must be an ISO-8601 date-time with an offset.");
    }
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }
}
