package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Answers from a MOCK connection in OpenAI's format, whole or streamed at the configured pace. */
final class MockAnswers {
  private MockAnswers() {}

  static Response chat(CallContext call, Target target, ConnectionService.Upstream up, ObjectNode request,
      Ledger ledger) {
    MockModel mock = new MockModel(up.options());
    long prompt = TokenCounter.prompt(request);
    if (!call.stream()) {
      ObjectNode answer = mock.completion(request, call.requested(), target.spec().upstreamModel(), prompt);
      call.meter().firstByte();
      call.meter().reportedOpenAi(answer.get("usage"));
      ledger.record(call, target, up, 200, null);
      return Response.ok(answer, MediaType.APPLICATION_JSON_TYPE).build();
    }
    StreamingOutput stream = out -> {
      List<String> words = mock.words(request, target.spec().upstreamModel());
      OpenAiRelay.End end = OpenAiRelay.End.COMPLETE;
      try {
        mock.waitForFirstToken();
        for (int i = 0; i < words.size(); i++) {
          if (i > 0) {
            mock.waitForNextToken();
          }
          call.meter().streamed(words.get(i));
          write(out, MockModel.chunk(call.requested(), words.get(i), null));
        }
        write(out, MockModel.chunk(call.requested(), null, "stop"));
        call.meter().reported(prompt, words.size(), 0, 0);
        if (call.includeUsage()) {
          write(out, MockModel.usageChunk(call.requested(), prompt, words.size()));
        }
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        end = OpenAiRelay.End.CLIENT_GONE;
      }
      ledger.record(call, target, up, Streams.status(end), Streams.errorType(end));
    };
    return Streams.response(stream);
  }

  private static void write(java.io.OutputStream out, ObjectNode chunk) throws IOException {
    out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
