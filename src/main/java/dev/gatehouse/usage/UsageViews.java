package dev.gatehouse.usage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.api.model.UsageRecordInfo;
import dev.gatehouse.common.Money;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Ledger rows to the wire: summary rows (JSON, CSV) and records (JSON, JSON lines, CSV). */
final class UsageViews {
  static final String RECORD_CSV_HEADER = "id,request_id,created_at,principal,api_key_id,groups,endpoint,model,version,"
      + "alias,connection,provider,upstream_model,prompt_tokens,completion_tokens,cached_tokens,cache_write_tokens,"
      + "tokens_estimated,cost_usd,price,unpriced,tags,latency_ms,ttft_ms,status_code,error_type,streamed";
  private static final List<String> SUMS = List.of("requests", "prompt_tokens", "completion_tokens", "cached_tokens",
      "cost_usd");

  private UsageViews() {}

  /** A JSON tree, not a map: the mapper leaves null map values out, and a row shows every key it groups by. */
  static ObjectNode summaryJson(UsageReports.Summary summary, Long from, Long to) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ArrayNode groupBy = body.putArray("group_by");
    summary.keys().forEach(k -> groupBy.add(k.name()));
    body.put("from", from);
    body.put("to", to);
    ArrayNode rows = body.putArray("rows");
    for (UsageReportDao.Row row : summary.rows()) {
      ObjectNode out = rows.addObject();
      for (int i = 0; i < summary.keys().size(); i++) {
        Object value = keyValue(summary.keys().get(i), row.keys().get(i));
        if (value instanceof Long n) {
          out.put(summary.keys().get(i).name(), n);
        } else {
          out.put(summary.keys().get(i).name(), (String) value);
        }
      }
      sums(out, row.sums());
    }
    sums(body.putObject("totals"), summary.totals());
    return body;
  }

  static String summaryCsv(UsageReports.Summary summary) {
    StringBuilder csv = new StringBuilder();
    List<String> header = new ArrayList<>(summary.keys().stream().map(SummaryKey::name).toList());
    header.addAll(SUMS);
    csv.append(String.join(",", header)).append('\n');
    for (UsageReportDao.Row row : summary.rows()) {
      List<Object> cells = new ArrayList<>();
      for (int i = 0; i < summary.keys().size(); i++) {
        cells.add(keyValue(summary.keys().get(i), row.keys().get(i)));
      }
      cells.addAll(sums(row.sums()).values());
      csv.append(line(cells)).append('\n');
    }
    List<Object> totals = new ArrayList<>();
    for (int i = 0; i < summary.keys().size(); i++) {
      totals.add(i == 0 ? "TOTAL" : null);
    }
    totals.addAll(sums(summary.totals()).values());
    return csv.append(line(totals)).append('\n').toString();
  }

  static UsageRecordInfo record(UsageRecord r) {
    return new UsageRecordInfo().id(r.id()).requestId(r.requestId()).createdAt(r.createdAt())
        .principal(r.principalName()).apiKeyId(r.apiKeyId()).groups(r.groupList().isEmpty() ? null : r.groupList())
        .endpoint(r.endpoint()).model(r.modelFullName()).version(r.modelVersion()).alias(r.alias())
        .connection(r.connectionName()).provider(r.provider()).upstreamModel(r.upstreamModel())
        .promptTokens(r.promptTokens()).completionTokens(r.completionTokens()).cachedTokens(r.cachedTokens())
        .cacheWriteTokens(r.cacheWriteTokens()).tokensEstimated(r.tokensEstimated()).costUsd(Money.format(r.costUsd()))
        .price(r.priceRef()).unpriced(r.unpriced()).tags(r.tagMap().isEmpty() ? null : new LinkedHashMap<>(r.tagMap()))
        .latencyMs(r.latencyMs()).ttftMs(r.ttftMs()).statusCode(r.statusCode()).errorType(r.errorType())
        .streamed(r.streamed());
  }

  static void writeRecord(UsageRecord r, boolean csv, ObjectMapper json, OutputStream out) {
    try {
      if (csv) {
        String tags = r.tagMap().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(";"));
        out.write((line(List.of(r.id(), r.requestId(), r.createdAt(), r.principalName(), nullable(r.apiKeyId()),
            String.join(";", r.groupList()), r.endpoint(), r.modelFullName(), nullable(r.modelVersion()),
            nullable(r.alias()), nullable(r.connectionName()), nullable(r.provider()), nullable(r.upstreamModel()),
            r.promptTokens(), r.completionTokens(), r.cachedTokens(), r.cacheWriteTokens(), r.tokensEstimated(),
            Money.format(r.costUsd()), nullable(r.priceRef()), r.unpriced(), tags, r.latencyMs(),
            nullable(r.ttftMs()), r.statusCode(), nullable(r.errorType()), r.streamed())) + "\n")
            .getBytes(StandardCharsets.UTF_8));
      } else {
        out.write(json.writeValueAsBytes(record(r)));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object nullable(Object value) {
    return value == null ? "" : value;
  }

  /** A day key is the number of UTC days since the epoch; shown as its date. */
  private static Object keyValue(SummaryKey key, Object value) {
    if (value == null) {
      return null;
    }
    if ("day".equals(key.name())) {
      return LocalDate.ofEpochDay(((Number) value).longValue()).toString();
    }
    return value instanceof Number n ? n.longValue() : value.toString();
  }

  private static void sums(ObjectNode out, UsageReportDao.Sums s) {
    out.put("requests", s.requests());
    out.put("prompt_tokens", s.promptTokens());
    out.put("completion_tokens", s.completionTokens());
    out.put("cached_tokens", s.cachedTokens());
    out.put("cost_usd", Money.format(s.costUsd()));
  }

  private static Map<String, Object> sums(UsageReportDao.Sums s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("requests", s.requests());
    out.put("prompt_tokens", s.promptTokens());
    out.put("completion_tokens", s.completionTokens());
    out.put("cached_tokens", s.cachedTokens());
    out.put("cost_usd", Money.format(s.costUsd()));
    return out;
  }

  private static String line(List<?> cells) {
    return cells.stream().map(UsageViews::cell).collect(Collectors.joining(","));
  }

  /** RFC 4180 quoting; a leading formula character is defused so spreadsheets do not run it. */
  private static String cell(Object value) {
    if (value == null) {
      return "";
    }
    String text = value.toString();
    if (!text.isEmpty() && "=+-@".indexOf(text.charAt(0)) >= 0 && !(value instanceof Number)) {
      text = "'" + text;
    }
    if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
      return "\"" + text.replace("\"", "\"\"") + "\"";
    }
    return text;
  }
}
