package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.api.InferenceApi;
import dev.gatehouse.api.model.ModelEntry;
import dev.gatehouse.api.model.ModelList;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.identity.Callers;
import dev.gatehouse.models.ServingLookup;
import dev.gatehouse.common.CostTags;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** The OpenAI- and Anthropic-compatible endpoints; errors in the provider's own shape. */
public class InferenceResource implements InferenceApi {
  private final ChatGateway chat;
  private final MessagesGateway messages;
  private final ServingLookup lookup;
  private final ServingResolver resolver;
  private final ObjectMapper json;

  public InferenceResource(ChatGateway chat, MessagesGateway messages, ServingLookup lookup,
      ServingResolver resolver, ObjectMapper json) {
    this.chat = chat;
    this.messages = messages;
    this.lookup = lookup;
    this.resolver = resolver;
    this.json = json;
  }

  @Override
  public Response createChatCompletion(Object body, String costTags) {
    return answer(WireFormat.OPENAI, headers -> chat.chat(Callers.current(), object(body), tags(costTags), headers));
  }

  @Override
  public Response createEmbedding(Object body, String costTags) {
    return answer(WireFormat.OPENAI, headers -> chat.embeddings(Callers.current(), object(body), tags(costTags),
        headers));
  }

  @Override
  public Response createMessage(Object body, String costTags) {
    return answer(WireFormat.ANTHROPIC, headers -> messages.messages(Callers.current(), object(body),
        tags(costTags), headers));
  }

  @Override
  public Response listInferenceModels() {
    var caller = Callers.current();
    var list = new ModelList()._object("list").data(lookup.servingModels().stream()
        .filter(model -> resolver.canExecute(caller, model))
        .map(model -> new ModelEntry().id(model.fullName())._object("model").created(model.createdAt() / 1000)
            .ownedBy(model.owner()))
        .toList());
    return Response.ok(list).build();
  }

  /** The request's cost-attribution tags; malformed ones are a 400 in the provider's shape. */
  private static Map<String, String> tags(String header) {
    return CostTags.parseHeader(header);
  }

  private ObjectNode object(Object body) {
    if (!(json.valueToTree(body) instanceof ObjectNode node)) {
      throw GatewayException.invalid("The request body must be a JSON object.", null);
    }
    return node;
  }

  /** Runs the call; its answer, or its error in the provider's shape, carries the headers the call set. */
  private static Response answer(WireFormat format, Function<Map<String, String>, Response> call) {
    Map<String, String> headers = new LinkedHashMap<>();
    Response response;
    try {
      response = call.apply(headers);
    } catch (GatewayException e) {
      response = GatewayErrors.response(e, format);
    } catch (GatehouseException e) {
      response = GatewayErrors.response(new GatewayException(e.code().status(),
          e.code().status() == 400 ? "invalid_request_error" : "api_error", e.code().name().toLowerCase(
              java.util.Locale.ROOT), e.getMessage(), null), format);
    }
    if (headers.isEmpty()) {
      return response;
    }
    Response.ResponseBuilder withHeaders = Response.fromResponse(response);
    headers.forEach(withHeaders::header);
    return withHeaders.build();
  }
}
