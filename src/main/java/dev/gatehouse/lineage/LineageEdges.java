package dev.gatehouse.lineage;

import dev.gatehouse.common.GatehouseException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The parts of an edge being recorded, as given, and the checks every source of edges shares. */
final class LineageEdges {
  static final int MAX_EDGES = 1000;
  static final int MAX_COLUMN_MAPPINGS = 1000;
  static final int MAX_SOURCE_COLUMNS = 100;
  static final int MAX_COLUMN_LENGTH = 255;
  static final int MAX_NAMESPACE_LENGTH = 1024;
  static final int MAX_NAME_LENGTH = 4096;
  static final int MAX_PRODUCER_ID_LENGTH = 400;
  static final int MAX_RUN_ID_LENGTH = 200;
  static final Set<String> PRODUCER_TYPES = Set.of("JOB", "NOTEBOOK", "PIPELINE", "QUERY");

  private LineageEdges() {}

  /** Which source columns make up a target column. */
  record ColumnMapping(List<String> sourceColumns, String targetColumn) {}

  /** What produced an edge; '' for parts not given (see V30). */
  record Producer(String type, String id, String runId) {
    static final Producer NONE = new Producer("", "", "");

    static Producer of(String type, String id, String runId) {
      String t = type == null ? "" : type.trim().toUpperCase(Locale.ROOT);
      if (!PRODUCER_TYPES.contains(t)) {
        throw GatehouseException.invalid("'producer.type' must be one of JOB, NOTEBOOK, PIPELINE, QUERY.");
      }
      text("producer.id", id, MAX_PRODUCER_ID_LENGTH, true);
      text("producer.run_id", runId, MAX_RUN_ID_LENGTH, false);
      return new Producer(t, id, runId == null ? "" : runId);
    }
  }

  /**
   * An edge between resolved nodes, ready to be written. {@code targetAsSent} is the target as an
   * OpenLineage event named it (namespace/name), null for the edges API; see LineageRecorder#requireTargets.
   */
  record Edge(Node source, Node target, List<ColumnMapping> columns, Producer producer, long eventTime,
      String targetAsSent) {
    Edge(Node source, Node target, List<ColumnMapping> columns, Producer producer, long eventTime) {
      this(source, target, columns, producer, eventTime, null);
    }
  }

  /** What a batch added. */
  record Result(int edgesCreated, int runsRecorded, int columnEdgesCreated, boolean ignored) {
    static final Result IGNORED = new Result(0, 0, 0, true);
  }

  static String column(String field, String name) {
    text(field, name, MAX_COLUMN_LENGTH, true);
    return name.toLowerCase(Locale.ROOT);
  }

  /** A bounded string without control characters; required ones must not be blank. */
  static String text(String field, String value, int max, boolean required) {
    if (value == null || value.isEmpty()) {
      if (required) {
        throw GatehouseException.invalid("'" + field + "' is required.");
      }
      return value;
    }
    if (value.length() > max || value.isBlank() || value.chars().anyMatch(Character::isISOControl)) {
      throw GatehouseException.invalid("'" + field + "' must be 1 to " + max + " characters without control characters.");
    }
    return value;
  }
}
