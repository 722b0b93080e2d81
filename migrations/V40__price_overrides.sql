-- Prices set through PUT /api/1.0/gatehouse/pricing. They shadow the prices shipped in
-- pricing/prices.json; a connection's own entry wins over its provider's. entry_key names the entry
-- ("connection:<name>/<model>" or "provider:<provider>/<model>") because a unique constraint over
-- nullable columns would let duplicates through.
CREATE TABLE price_overrides (
  entry_key                 VARCHAR(600)   NOT NULL PRIMARY KEY,
  connection_name           VARCHAR(255),
  provider                  VARCHAR(32),
  upstream_model            VARCHAR(255)   NOT NULL,
  input_per_million         DECIMAL(20,10) NOT NULL,
  output_per_million        DECIMAL(20,10) NOT NULL,
  cached_input_per_million  DECIMAL(20,10) NOT NULL,
  cache_write_per_million   DECIMAL(20,10) NOT NULL,
  updated_at                BIGINT         NOT NULL,
  updated_by                VARCHAR(255)   NOT NULL
);
