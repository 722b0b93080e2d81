-- A call's cost is charged to its instance's lease row (no other instance writes it) instead of the
-- period row that every instance's calls contend on; the instance folds the charges into the period
-- now and then. charged_usd: costs charged through the lease since the last fold; covered_usd: the
-- part of them its amount held (a call that cost more than its hold is charged the rest all the same).
ALTER TABLE budget_leases ADD COLUMN charged_usd DECIMAL(24,10) DEFAULT 0 NOT NULL;
ALTER TABLE budget_leases ADD COLUMN covered_usd DECIMAL(24,10) DEFAULT 0 NOT NULL;
