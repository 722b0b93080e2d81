package dev.gatehouse.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.lifecycle.Managed;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retention: events older than the configured age are written to a JSON-lines archive file, then an
 * anchor (the last archived event's seq and hash) is recorded and the events removed, in one
 * transaction. The remaining chain verifies from that anchor; the archive verifies on its own.
 */
public class AuditRetention implements Managed {
  private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);

  private final Jdbi jdbi;
  private final Clock clock;
  private final ObjectMapper json;
  private final AuditConfig config;
  private ScheduledExecutorService scheduler;

  public AuditRetention(Jdbi jdbi, Clock clock, ObjectMapper json, AuditConfig config) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.json = json;
    this.config = config;
  }

  @Override
  public void start() {
    if (config.getRetentionDays() <= 0) {
      return;
    }
    long every = config.getRetentionCheckInterval().toMilliseconds();
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "audit-retention"));
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        archiveOlderThan(Duration.ofDays(config.getRetentionDays()));
      } catch (RuntimeException e) {
        LOG.error("Audit retention failed; will retry", e);
      }
    }, every, every, TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }

  /** Archives every event older than {@code age}; returns how many were archived. */
  public long archiveOlderThan(Duration age) {
    long cutoff = clock.millis() - age.toMillis();
    return jdbi.inTransaction(h -> {
      AuditDao dao = h.attach(AuditDao.class);
      long from = dao.latestAnchor().map(AuditDao.Anchor::archivedThroughSeq).orElse(0L);
      Long through = dao.lastSeqBefore(cutoff).orElse(null);
      if (through == null || through <= from) {
        return 0L;
      }
      Path file = Path.of(config.getArchiveDir(), "audit-" + (from + 1) + "-" + through + ".jsonl");
      String lastHash = write(dao, from, through, file);
      long count = through - from;
      dao.insertAnchor(through, lastHash, count, clock.millis(), file.toString());
      dao.deleteThrough(through);
      LOG.info("Archived {} audit events to {}", count, file);
      return count;
    });
  }

  private String write(AuditDao dao, long from, long through, Path file) {
    try {
      Files.createDirectories(file.getParent());
      String lastHash = null;
      try (OutputStream out = Files.newOutputStream(file)) {
        long after = from;
        while (after < through) {
          var batch = dao.chainAfter(after, AuditLog.VERIFY_BATCH);
          for (AuditEvent e : batch) {
            if (e.seq() > through) {
              return lastHash;
            }
            out.write(json.writeValueAsBytes(e));
            out.write('\n');
            lastHash = e.hash();
            after = e.seq();
          }
          if (batch.isEmpty()) {
            break;
          }
        }
      }
      return lastHash;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
