-- Budgets: an amount of USD per calendar period (UTC) for a scope (see quota.Scope).
CREATE TABLE budgets (
  id               VARCHAR(36)    NOT NULL PRIMARY KEY,
  scope_type       VARCHAR(16)    NOT NULL,
  scope_name       VARCHAR(1024),
  per_member       BOOLEAN        NOT NULL,
  amount_usd       DECIMAL(20,10) NOT NULL,
  period           VARCHAR(8)     NOT NULL,
  hard             BOOLEAN        NOT NULL,
  alert_thresholds VARCHAR(200)   NOT NULL,
  webhook_url      VARCHAR(2048),
  created_at       BIGINT         NOT NULL,
  created_by       VARCHAR(255)   NOT NULL,
  updated_at       BIGINT         NOT NULL
);

-- One row per budget, counter (the scope's shared one, or a member's) and period: what was spent
-- and what running calls hold. A hard budget admits a call with one conditional UPDATE of this row
-- (spent + reserved + x <= amount), which every instance sharing the database serializes on.
CREATE TABLE budget_periods (
  budget_id    VARCHAR(36)    NOT NULL,
  counter_key  VARCHAR(1100)  NOT NULL,
  period_start BIGINT         NOT NULL,
  spent_usd    DECIMAL(24,10) NOT NULL,
  reserved_usd DECIMAL(24,10) NOT NULL,
  alerted_pct  INT            NOT NULL,
  PRIMARY KEY (budget_id, counter_key, period_start),
  FOREIGN KEY (budget_id) REFERENCES budgets (id) ON DELETE CASCADE
);

-- What each running call holds on a hard budget, durable so that a crashed instance's holds can
-- be found and released by the sweeper.
CREATE TABLE budget_reservations (
  id           VARCHAR(36)    NOT NULL PRIMARY KEY,
  budget_id    VARCHAR(36)    NOT NULL,
  counter_key  VARCHAR(1100)  NOT NULL,
  period_start BIGINT         NOT NULL,
  amount_usd   DECIMAL(24,10) NOT NULL,
  created_at   BIGINT         NOT NULL,
  instance_id  VARCHAR(64)    NOT NULL,
  request_id   VARCHAR(64)    NOT NULL,
  FOREIGN KEY (budget_id, counter_key, period_start)
    REFERENCES budget_periods (budget_id, counter_key, period_start) ON DELETE CASCADE
);
CREATE INDEX ix_budget_reservations_age ON budget_reservations (created_at);
