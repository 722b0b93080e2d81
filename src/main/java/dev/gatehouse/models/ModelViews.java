package dev.gatehouse.models;

import dev.gatehouse.api.model.ModelVersionInfo;
import dev.gatehouse.api.model.ModelVersionStatus;
import dev.gatehouse.api.model.RegisteredModelAlias;
import dev.gatehouse.api.model.RegisteredModelInfo;
import dev.gatehouse.api.model.ServingRoute;
import dev.gatehouse.common.GatehouseException;
import dev.gatehouse.securable.SecurableRow;
import java.util.List;

/** Models, versions and aliases to Unity Catalog's RegisteredModelInfo and ModelVersionInfo. */
final class ModelViews {
  private ModelViews() {}

  static RegisteredModelInfo model(RegisteredModel model) {
    SecurableRow r = model.row();
    String[] names = r.fullName().split("\\.");
    return new RegisteredModelInfo()
        .id(r.id())
        .name(r.name())
        .catalogName(names[0])
        .schemaName(names[1])
        .fullName(r.fullName())
        .comment(r.comment())
        .owner(r.owner())
        .storageLocation(r.storageLocation())
        .createdAt(r.createdAt())
        .createdBy(r.createdBy())
        .updatedAt(r.updatedAt())
        .updatedBy(r.updatedBy())
        .aliases(aliases(model.aliases()))
        .servingRoutes(model.serving().routes().stream()
            .map(route -> new ServingRoute().alias(route.alias()).weight(route.weight())).toList())
        .fallbacks(model.serving().fallbacks());
  }

  static ModelVersionInfo version(ModelVersion version) {
    ModelVersionRow r = version.row();
    // catalog.schema.model.N
    String[] names = r.fullName().split("\\.");
    return new ModelVersionInfo()
        .id(r.id())
        .catalogName(names[0])
        .schemaName(names[1])
        .modelName(names[2])
        .version(r.version())
        .source(r.source())
        .runId(r.runId())
        .status(ModelVersionStatus.fromValue(r.status().name()))
        .storageLocation(r.storageLocation())
        .comment(r.comment())
        .createdAt(r.createdAt())
        .createdBy(r.createdBy())
        .updatedAt(r.updatedAt())
        .updatedBy(r.updatedBy())
        .aliases(aliases(version.aliases()))
        .serving(servingSpec(version.serving()));
  }

  static ServingSpec servingSpec(dev.gatehouse.api.model.ServingSpec s) {
    return s == null ? null : new ServingSpec(s.getConnectionName(), s.getUpstreamModel(),
        s.getTask() == null ? null : s.getTask().toString(), s.getMaxTokensCap(), s.getDefaultMaxTokens(),
        s.getTemperature(), s.getTopP(), s.getSystemPrompt());
  }

  private static dev.gatehouse.api.model.ServingSpec servingSpec(ServingSpec s) {
    return s == null ? null : new dev.gatehouse.api.model.ServingSpec()
        .connectionName(s.connectionName()).upstreamModel(s.upstreamModel())
        .task(dev.gatehouse.api.model.ServingSpec.TaskEnum.fromValue(s.task()))
        .maxTokensCap(s.maxTokensCap()).defaultMaxTokens(s.defaultMaxTokens()).temperature(s.temperature())
        .topP(s.topP()).systemPrompt(s.systemPrompt());
  }

  /** The serving parts of a create or update request; null when it has none. */
  static ServingRoutes routes(List<ServingRoute> routes, List<String> fallbacks) {
    if (routes == null && fallbacks == null) {
      return null;
    }
    return new ServingRoutes(routes == null ? null : routes.stream()
        .map(r -> new ServingRoutes.Route(r.getAlias(), r.getWeight() == null ? 0 : r.getWeight())).toList(),
        fallbacks);
  }

  /** The wire status a finalize request asks for; the service refuses anything but a final one. */
  static RegistrationStatus status(ModelVersionStatus status) {
    if (status == null) {
      return null;
    }
    if (status == ModelVersionStatus.MODEL_VERSION_STATUS_UNKNOWN) {
      throw GatehouseException.invalid(ModelVersionService.FINAL_STATUS_REQUIRED);
    }
    return RegistrationStatus.valueOf(status.name());
  }

  static RegisteredModelAlias alias(ModelAlias alias) {
    return new RegisteredModelAlias().aliasName(alias.aliasName()).versionNum(alias.versionNum());
  }

  private static List<RegisteredModelAlias> aliases(List<ModelAlias> aliases) {
    return aliases.stream().map(ModelViews::alias).toList();
  }
}
