package dev.gatehouse.models;

import dev.gatehouse.client.ApiClient;
import dev.gatehouse.client.api.CatalogsApi;
import dev.gatehouse.client.api.ModelAliasesApi;
import dev.gatehouse.client.api.ModelVersionsApi;
import dev.gatehouse.client.api.RegisteredModelsApi;
import dev.gatehouse.client.api.SchemasApi;
import dev.gatehouse.client.model.CreateCatalog;
import dev.gatehouse.client.model.CreateModelVersion;
import dev.gatehouse.client.model.CreateRegisteredModel;
import dev.gatehouse.client.model.CreateSchema;
import dev.gatehouse.client.model.FinalizeModelVersion;
import dev.gatehouse.client.model.ModelVersionInfo;
import dev.gatehouse.client.model.RegisteredModelInfo;
import dev.gatehouse.client.model.SchemaInfo;
import java.util.concurrent.atomic.AtomicInteger;

/** Fresh catalogs, schemas, models and versions for model tests, each under a name of its own. */
final class ModelFixture {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  final RegisteredModelsApi models;
  final ModelVersionsApi versions;
  final ModelAliasesApi aliases;
  private final CatalogsApi catalogs;
  private final SchemasApi schemas;

  ModelFixture(ApiClient client) {
    models = new RegisteredModelsApi(client);
    versions = new ModelVersionsApi(client);
    aliases = new ModelAliasesApi(client);
    catalogs = new CatalogsApi(client);
    schemas = new SchemasApi(client);
  }

  /** A new catalog with one schema, {@code storageRoot} on the catalog when not null. */
  SchemaInfo newSchema(String storageRoot) throws Exception {
    String catalog = "cat" + COUNTER.incrementAndGet();
    catalogs.createCatalog(new CreateCatalog().name(catalog).storageRoot(storageRoot));
    return schemas.createSchema(new CreateSchema().catalogName(catalog).name("ml"));
  }

  RegisteredModelInfo newModel() throws Exception {
    SchemaInfo schema = newSchema(null);
    return models.createRegisteredModel(new CreateRegisteredModel()
        .catalogName(schema.getCatalogName()).schemaName(schema.getName()).name("model"));
  }

  ModelVersionInfo newVersion(RegisteredModelInfo model) throws Exception {
    return versions.createModelVersion(new CreateModelVersion().catalogName(model.getCatalogName())
        .schemaName(model.getSchemaName()).modelName(model.getName()).source("s3://artifacts/run"));
  }

  ModelVersionInfo finalize(RegisteredModelInfo model, long version) throws Exception {
    return versions.finalizeModelVersion(model.getFullName(), version,
        new FinalizeModelVersion().fullName(model.getFullName()).version(version));
  }

  ModelVersionInfo readyVersion(RegisteredModelInfo model) throws Exception {
    return finalize(model, newVersion(model).getVersion());
  }
}
