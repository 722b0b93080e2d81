package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.api.InferenceApi;
import dev.gatehouse.api.model.ModelEntry;
import dev.gatehouse.api.model.ModelList;
import dev.gatehouse.identity.Callers;
import dev.gatehouse.models.ServingLookup;
import dev.gatehouse.common.CostTags;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/**
 * The OpenAI- and Anthropic-compatible endpoints in Jersey; errors in the provider's own shape. The
 * three inference calls at their exact paths are served by {@link InferenceServlet}, which bypasses
 * Jersey's cost; Jersey still serves /v1/models and the calls' paths with a trailing slash.
 */
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
    return GatewayErrors.answer(WireFormat.OPENAI, headers -> chat.chat(Callers.current(), object(body), tags(costTags), headers));
  }

  @Override
  public Response createEmbedding(Object body, String costTags) {
    return GatewayErrors.answer(WireFormat.OPENAI, headers -> chat.embeddings(Callers.current(), object(body), tags(costTags),
        headers));
  }

  @Override
  public Response createMessage(Object body, String costTags) {
    return GatewayErrors.answer(WireFormat.ANTHROPIC, headers -> messages.messages(Callers.current(), object(body),
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
    return InferenceServlet.object(json.valueToTree(body));
  }
}
