package dev.gatehouse.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time spent by the benchmark thread and, for PostgreSQL, by the server's processes. On a shared
 * machine wall-clock tails mostly measure waiting for a CPU; CPU time per operation says what the
 * operation itself costs. Linux only (reads /proc); elsewhere the server part reads as zero.
 */
final class CpuMeter {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** USER_HZ: the unit of utime and stime in /proc/[pid]/stat; 100 on every Linux we run on. */
  private static final long TICKS_PER_SECOND = 100;

  private final long postmasterPid;
  private long threadStart;
  private long serverStart;

  /** {@code postmasterPid} is 0 for an embedded H2, whose work runs on the calling thread. */
  CpuMeter(long postmasterPid) {
    this.postmasterPid = postmasterPid;
  }

  void start() {
    threadStart = THREADS.getCurrentThreadCpuTime();
    serverStart = serverNanos();
  }

  /** Thread and server CPU nanoseconds since {@link #start()}. */
  long[] stop() {
    return new long[] {THREADS.getCurrentThreadCpuTime() - threadStart, serverNanos() - serverStart};
  }

  /** The parent of a backend process is the postmaster; its children are all the server's processes. */
  static long parentOf(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("PPid:")) {
          return Long.parseLong(line.substring(5).trim());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }

  private long serverNanos() {
    if (postmasterPid == 0) {
      return 0;
    }
    long ticks = 0;
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
        long pid = Long.parseLong(p.getFileName().toString());
        if (pid == postmasterPid || parentOf(pid) == postmasterPid) {
          ticks += ticks(p);
        }
      }
    } catch (IOException e) {
      return 0;
    }
    return ticks * 1_000_000_000L / TICKS_PER_SECOND;
  }

  /** utime + stime: fields 14 and 15 of /proc/[pid]/stat, counted after the ")" closing the name. */
  private static long ticks(Path proc) {
    try {
      String stat = Files.readString(proc.resolve("stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return 0; // the process ended meanwhile
    }
  }
}
