-- Hard budgets are admitted from per-instance leases: a slice of a period's room reserved in one
-- UPDATE and handed to calls from memory, instead of one reservation row per call. A lease's amount
-- is part of its period's reserved_usd until it is given back (idle, on shutdown, or by the sweeper
-- once its instance stops renewing it).
CREATE TABLE budget_leases (
  id           VARCHAR(36)    NOT NULL PRIMARY KEY,
  budget_id    VARCHAR(36)    NOT NULL,
  counter_key  VARCHAR(1100)  NOT NULL,
  period_start BIGINT         NOT NULL,
  amount_usd   DECIMAL(24,10) NOT NULL,
  instance_id  VARCHAR(64)    NOT NULL,
  renewed_at   BIGINT         NOT NULL,
  FOREIGN KEY (budget_id, counter_key, period_start)
    REFERENCES budget_periods (budget_id, counter_key, period_start) ON DELETE CASCADE
);
CREATE INDEX ix_budget_leases_renewed ON budget_leases (renewed_at);

-- Holds of calls admitted by an older version are released, as its sweeper would have.
UPDATE budget_periods SET reserved_usd = reserved_usd - COALESCE((SELECT SUM(r.amount_usd)
  FROM budget_reservations r WHERE r.budget_id = budget_periods.budget_id
  AND r.counter_key = budget_periods.counter_key AND r.period_start = budget_periods.period_start), 0);
DROP TABLE budget_reservations;
