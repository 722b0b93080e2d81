package dev.gatehouse.lineage;

import dev.gatehouse.access.AccessControl;
import dev.gatehouse.access.Privilege;
import dev.gatehouse.api.model.LineageColumnMapping;
import dev.gatehouse.api.model.LineageEdgeInput;
import dev.gatehouse.api.model.LineageEntityRef;
import dev.gatehouse.api.model.RecordLineageEdges;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.identity.Caller;
import dev.gatehouse.lineage.LineageEdges.ColumnMapping;
import dev.gatehouse.lineage.LineageEdges.Edge;
import dev.gatehouse.lineage.LineageEdges.Producer;
import dev.gatehouse.lineage.LineageEdges.Result;
import dev.gatehouse.securable.SecurableDao;
import dev.gatehouse.securable.SecurableRow;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Records lineage edges, from the edges API and from OpenLineage events. A batch is one transaction:
 * all its edges or none. Recording needs MODIFY on every target (on the metastore for a dataset
 * outside the catalog); through the edges API the caller must also see every source, so that nobody
 * learns through lineage what a hidden name is (a hidden source answers like a missing one).
 */
public class LineageRecorder {
  private final Jdbi jdbi;
  private final Clock clock;
  private final AccessControl access;
  private final SecurableRefs refs;

  public LineageRecorder(Jdbi jdbi, Clock clock, AccessControl access) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.access = access;
    this.refs = new SecurableRefs(jdbi, access);
  }

  /** The edges API: every end named by the caller, checked, then written. */
  public Result record(Caller caller, RecordLineageEdges request) {
    List<LineageEdgeInput> inputs = request.getEdges();
    if (inputs.isEmpty() || inputs.size() > LineageEdges.MAX_EDGES) {
      throw GatehouseException.invalid("'edges' must hold 1 to " + LineageEdges.MAX_EDGES + " edges.");
    }
    long now = clock.millis();
    return jdbi.inTransaction(h -> {
      List<Edge> edges = new ArrayList<>();
      for (LineageEdgeInput in : inputs) {
        List<ColumnMapping> columns = columns(in.getColumns());
        Producer producer = in.getProducer() == null ? Producer.NONE
            : Producer.of(in.getProducer().getType(), in.getProducer().getId(), in.getProducer().getRunId());
        if (in.getEventTime() != null && in.getEventTime() < 0) {
          throw GatehouseException.invalid("'event_time' must be epoch milliseconds.");
        }
        Node source = resolve(caller, in.getSource(), "source");
        if (source.row() != null && !access.isVisible(caller, source.row())) {
          throw AccessControl.notFound(source.row());
        }
        Node target = resolve(caller, in.getTarget(), "target");
        if (source.key().equals(target.key())) {
          throw GatehouseException.invalid("An edge needs two different ends.");
        }
        edges.add(new Edge(source, target, columns, producer, in.getEventTime() == null ? now : in.getEventTime()));
      }
      return write(h, caller, edges);
    });
  }

  /**
   * Writes edges between resolved nodes after checking MODIFY on their targets. Nodes are created
   * in key order and edges written in node order, so concurrent batches take their row locks in
   * the same order and cannot deadlock.
   */
  Result write(Handle h, Caller caller, List<Edge> edges) {
    requireTargets(h, caller, edges);
    for (Edge e : edges) {
      if (!NodeType.edgeAllowed(e.source().type(), e.target().type())) {
        throw GatehouseException.invalid("No lineage edge from a " + e.source().type().wireName() + " to a "
            + e.target().type().wireName() + ".");
      }
    }
    LineageDao dao = h.attach(LineageDao.class);
    long now = clock.millis();
    TreeMap<String, Node> nodes = new TreeMap<>();
    for (Edge e : edges) {
      nodes.put(e.source().key(), e.source());
      nodes.put(e.target().key(), e.target());
    }
    Map<String, Long> ids = new HashMap<>();
    nodes.forEach((key, n) -> ids.put(key, dao.node(key, n.type(),
        n.row() == null ? null : n.row().id(), n.namespace(), n.name(), now)));
    List<Edge> ordered = new ArrayList<>(edges);
    ordered.sort(Comparator.<Edge>comparingLong(e -> ids.get(e.source().key()))
        .thenComparingLong(e -> ids.get(e.target().key())));
    int created = 0;
    int runs = 0;
    int columns = 0;
    for (Edge e : ordered) {
      long from = ids.get(e.source().key());
      long to = ids.get(e.target().key());
      int inserted = dao.insertEdge(from, to, e.eventTime());
      created += inserted;
      long edgeId = dao.edgeId(from, to);
      if (inserted == 0) {
        dao.touchEdge(edgeId, e.eventTime());
      }
      Producer p = e.producer();
      runs += dao.insertRun(edgeId, p.type(), p.id(), p.runId(), e.eventTime(), now, caller.name());
      for (ColumnMapping m : e.columns()) {
        for (String source : m.sourceColumns()) {
          columns += dao.insertColumnEdge(from, source, to, m.targetColumn(), e.eventTime());
        }
      }
    }
    return new Result(created, runs, columns, false);
  }

  /**
   * MODIFY on each target. An OpenLineage output is refused with one message whether it maps to a
   * table the caller may not see or to nothing (an external dataset, which needs MODIFY on the
   * metastore): a different answer would tell which names are tables.
   */
  private void requireTargets(Handle h, Caller caller, List<Edge> edges) {
    Set<String> checked = new HashSet<>();
    for (Edge e : edges) {
      Node target = e.target();
      if (!checked.add(target.key())) {
        continue;
      }
      SecurableRow row = target.row() != null ? target.row()
          : h.attach(SecurableDao.class).findById(SecurableRow.METASTORE_ID).orElseThrow();
      if (e.targetAsSent() == null) {
        access.require(caller, row, Privilege.MODIFY);
      } else if (!access.allows(caller, row, Privilege.MODIFY)) {
        throw GatehouseException.denied("Missing privilege MODIFY on output '" + e.targetAsSent()
            + "' (on its table, or on the metastore for a dataset outside the catalog).");
      }
    }
  }

  private Node resolve(Caller caller, LineageEntityRef ref, String field) {
    NodeType type = NodeType.parse(field + ".type", ref.getType());
    if (type == NodeType.EXTERNAL) {
      return Node.external(
          LineageEdges.text(field + ".namespace", ref.getNamespace(), LineageEdges.MAX_NAMESPACE_LENGTH, true),
          LineageEdges.text(field + ".name", ref.getName(), LineageEdges.MAX_NAME_LENGTH, true));
    }
    if (ref.getFullName() == null) {
      throw GatehouseException.invalid("'" + field + ".full_name' is required.");
    }
    return Node.of(refs.find(caller, type.wireName(), ref.getFullName()));
  }

  private static List<ColumnMapping> columns(List<LineageColumnMapping> mappings) {
    if (mappings == null) {
      return List.of();
    }
    if (mappings.size() > LineageEdges.MAX_COLUMN_MAPPINGS) {
      throw GatehouseException.invalid("At most " + LineageEdges.MAX_COLUMN_MAPPINGS + " column mappings per edge.");
    }
    List<ColumnMapping> result = new ArrayList<>();
    for (LineageColumnMapping m : mappings) {
      if (m.getSourceColumns().isEmpty() || m.getSourceColumns().size() > LineageEdges.MAX_SOURCE_COLUMNS) {
        throw GatehouseException.invalid("'source_columns' must hold 1 to " + LineageEdges.MAX_SOURCE_COLUMNS
            + " columns.");
      }
      result.add(new ColumnMapping(
          m.getSourceColumns().stream().map(c -> LineageEdges.column("source_columns", c)).toList(),
          LineageEdges.column("target_column", m.getTargetColumn())));
    }
    return result;
  }
}
