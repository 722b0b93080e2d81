package dev.gatehouse.budget;

import dev.gatehouse.common.GatehouseException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** A budget's period: calendar days, weeks (from Monday) and months in UTC, or all time. */
public enum Period {
  DAY, WEEK, MONTH, TOTAL;

  public static Period parse(String wire) {
    if (wire == null) {
      throw GatehouseException.invalid("'period' is required: day, week, month or total.");
    }
    try {
      return valueOf(wire.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw GatehouseException.invalid("'period' must be day, week, month or total, not '" + wire + "'.");
    }
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Start of the period holding {@code millis}, epoch ms; 0 for total. */
  public long start(long millis) {
    LocalDate day = Instant.ofEpochMilli(millis).atOffset(ZoneOffset.UTC).toLocalDate();
    LocalDate first = switch (this) {
      case DAY -> day;
      case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH -> day.withDayOfMonth(1);
      case TOTAL -> null;
    };
    return first == null ? 0 : first.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** End (exclusive) of the period starting at {@code start}; null for total. */
  public Long end(long start) {
    LocalDate first = Instant.ofEpochMilli(start).atOffset(ZoneOffset.UTC).toLocalDate();
    LocalDate next = switch (this) {
      case DAY -> first.plusDays(1);
      case WEEK -> first.plusWeeks(1);
      case MONTH -> first.plusMonths(1);
      case TOTAL -> null;
    };
    return next == null ? null : next.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }
}
