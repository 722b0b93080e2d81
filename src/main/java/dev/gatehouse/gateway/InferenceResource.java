package dev.gatehouse.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.api.InferenceApi;
import dev.gatehouse.api.model.ModelEntry;
import dev.gatehouse.api.model.ModelList;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.identity.Callers;
import dev.gatehouse.models.ServingLookup;
import jakarta.ws.rs.core.Response;
import java.util.function.Supplier;

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
  public Response createChatCompletion(Object body) {
    return answer(WireFormat.OPENAI, () -> chat.chat(Callers.current(), object(body)));
  }

  @Override
  public Response createEmbedding(Object body) {
    return answer(WireFormat.OPENAI, () -> chat.embeddings(Callers.current(), object(body)));
  }

  @Override
  public Response createMessage(Object body) {
    return answer(WireFormat.ANTHROPIC, () -> messages.messages(Callers.current(), object(body)));
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

  private ObjectNode object(Object body) {
    if (!(json.valueToTree(body) instanceof ObjectNode node)) {
      throw GatewayException.invalid("The request body must be a JSON object.", null);
    }
    return node;
  }

  private static Response answer(WireFormat format, Supplier<Response> call) {
    try {
      return call.get();
    } catch (GatewayException e) {
      return GatewayErrors.response(e, format);
    } catch (GatehouseException e) {
      return GatewayErrors.response(new GatewayException(e.code().status(),
          e.code().status() == 400 ? "invalid_request_error" : "api_error", e.code().name().toLowerCase(
              java.util.Locale.ROOT), e.getMessage(), null), format);
    }
  }
}
