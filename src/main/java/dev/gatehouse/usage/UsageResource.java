package dev.gatehouse.usage;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.api.UsageApi;
import dev.gatehouse.api.model.ListUsageRecordsResponse;
import dev.gatehouse.api.model.ModelComparison;
import dev.gatehouse.api.model.ModelVariant;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.common.Money;
import dev.gatehouse.common.PageRequest;
import dev.gatehouse.identity.Callers;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** Usage reports: summaries, records (paged or exported) and champion-versus-challenger comparisons. */
public class UsageResource implements UsageApi {
  private final UsageReports reports;
  private final ObjectMapper json;

  public UsageResource(UsageReports reports, ObjectMapper json) {
    this.reports = reports;
    this.json = json;
  }

  @Override
  public Response summarizeUsage(String groupBy, Long from, Long to, String principal, String model, String format) {
    boolean csv = "csv".equals(format);
    if (format != null && !csv && !"json".equals(format)) {
      throw GatehouseException.invalid("'format' must be json or csv.");
    }
    List<SummaryKey> keys = SummaryKey.parse(groupBy);
    UsageReports.Summary summary = reports.summary(keys,
        reports.filter(Callers.current(), from, to, principal, model, null));
    if (csv) {
      return Response.ok(UsageViews.summaryCsv(summary), "text/csv")
          .header("Content-Disposition", "attachment; filename=usage-summary.csv").build();
    }
    return Response.ok(UsageViews.summaryJson(summary, from, to)).build();
  }

  @Override
  public Response listUsageRecords(Long from, Long to, String principal, String model, String key,
      Integer maxResults, String pageToken) {
    UsageFilter filter = reports.filter(Callers.current(), from, to, principal, model, key);
    PageRequest page = PageRequest.of(maxResults, pageToken);
    Long afterTime = null;
    String afterId = null;
    if (page.after() != null) {
      int colon = page.after().indexOf(':');
      try {
        afterTime = Long.valueOf(page.after().substring(0, colon));
        afterId = page.after().substring(colon + 1);
      } catch (RuntimeException e) {
        throw GatehouseException.invalid("'page_token' is not a token this server issued.");
      }
    }
    var records = dev.gatehouse.common.Page.of(reports.page(filter, afterTime, afterId, page.fetchSize()), page,
        r -> r.createdAt() + ":" + r.id());
    return Response.ok(new ListUsageRecordsResponse()
        .records(records.items().stream().map(UsageViews::record).toList())
        .nextPageToken(records.nextPageToken())).build();
  }

  @Override
  public Response exportUsageRecords(String format, Long from, Long to, String principal, String model, String key) {
    boolean csv = "csv".equals(format);
    if (format != null && !csv && !"jsonl".equals(format)) {
      throw GatehouseException.invalid("'format' must be jsonl or csv.");
    }
    UsageFilter filter = reports.filter(Callers.current(), from, to, principal, model, key);
    StreamingOutput body = raw -> {
      OutputStream out = new BufferedOutputStream(raw, 64 * 1024);
      if (csv) {
        out.write((UsageViews.RECORD_CSV_HEADER + "\n").getBytes(StandardCharsets.UTF_8));
      }
      reports.export(filter, r -> UsageViews.writeRecord(r, csv, json, out));
      out.flush();
    };
    return Response.ok(body, csv ? "text/csv" : "application/x-ndjson")
        .header("Content-Disposition", "attachment; filename=usage." + (csv ? "csv" : "jsonl")).build();
  }

  @Override
  public Response compareModelVariants(String fullName, Long from, Long to) {
    UsageFilter filter = reports.filter(Callers.current(), from, to, null, null, null);
    var variants = reports.compare(fullName, filter).stream().map(v -> new ModelVariant().alias(v.alias())
        .version(v.version()).requests(v.requests()).errors(v.errors())
        .errorRate(v.requests() == 0 ? "0" : BigDecimal.valueOf(v.errors())
            .divide(BigDecimal.valueOf(v.requests()), 4, RoundingMode.HALF_UP).toPlainString())
        .promptTokens(v.promptTokens()).completionTokens(v.completionTokens()).cachedTokens(v.cachedTokens())
        .costUsd(Money.format(v.costUsd())).latencyP50Ms(v.latencyP50()).latencyP95Ms(v.latencyP95())).toList();
    return Response.ok(new ModelComparison().model(fullName.toLowerCase(Locale.ROOT)).from(from).to(to)
        .variants(variants)).build();
  }
}
