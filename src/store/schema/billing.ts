import { sqliteTable, text, integer, index, primaryKey, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Rated usage: one row per cluster, cluster-clock hour, line item and subject (node, volume...).
 * Rewritten as a whole for an hour when the hour is rated again, so rating is idempotent.
 */
export const usageRecords = sqliteTable(
  'usage_records',
  {
    clusterId: text('cluster_id').notNull(),
    /** Start of the hour in the cluster's own clock (epoch ms, a multiple of 3,600,000). */
    hourStart: integer('hour_start').notNull(),
    /** What is charged, e.g. `control-plane:standard`, `node:m5.large`, `storage:gp3`. */
    lineItem: text('line_item').notNull(),
    subject: text('subject').notNull(),
    tenantId: text('tenant_id').notNull(),
    provider: text('provider').notNull(),
    tier: text('tier').notNull(),
    region: text('region').notNull(),
    /** cluster | node | volume | loadbalancer | pod-cpu | pod-memory | pod-ephemeral */
    kind: text('kind').notNull(),
    /** The price's unit, e.g. `cluster-hour`, `instance-hour`, `GiB-month`. */
    unit: text('unit').notNull(),
    /** Quantity in `unit`, × 1,000,000 (e.g. half an instance-hour = 500000). */
    quantityMicro: integer('quantity_micro').notNull(),
    /** Price per unit in nano-USD (published rates such as $0.0049225 need sub-micro precision). */
    unitPriceNano: integer('unit_price_nano').notNull(),
    /** Charged amount in micro-USD, prorated exactly and rounded half-up once per record. */
    amountMicro: integer('amount_micro').notNull(),
    /** Billed time in ms within this hour, including any minimum-charge top-up. */
    billedMs: integer('billed_ms').notNull(),
    priceBook: text('price_book').notNull(),
    /** JSON: what allocation and reports need (instance shape, namespace, claim, service...). */
    attributes: text('attributes').notNull().default('{}'),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.hourStart, t.lineItem, t.subject] }), index('usage_records_tenant').on(t.tenantId, t.hourStart)],
);

/** How far each cluster has been rated: every hour before `ratedUntil` (cluster clock) is final. */
export const billingCursors = sqliteTable('billing_cursors', {
  clusterId: text('cluster_id').primaryKey(),
  tenantId: text('tenant_id').notNull(),
  ratedUntil: integer('rated_until').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** A monthly spending limit with alert thresholds (percent of the amount). */
export const budgets = sqliteTable(
  'budgets',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    name: text('name').notNull(),
    amountMicro: integer('amount_micro').notNull(),
    /** JSON array of percents, ascending, e.g. [50, 80, 100]. */
    thresholds: text('thresholds').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Only this cluster's spend counts (null: every cluster of the tenant). */
    scopeClusterId: text('scope_cluster_id'),
    /** Only clusters labelled `key=value` count (null: no label condition). */
    scopeLabel: text('scope_label'),
    /** What the scope had spent in the creation month when the budget was made: thresholds already
     * passed then are not alerted, only those crossed after the budget exists. */
    baselineMicro: integer('baseline_micro').notNull().default(0),
    baselinePeriod: text('baseline_period'),
  },
  (t) => [index('budgets_tenant').on(t.tenantId)],
);

/** A budget threshold crossed in a billing period; recorded once per (budget, period, threshold). */
export const billingAlerts = sqliteTable(
  'billing_alerts',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id').notNull(),
    budgetId: text('budget_id').notNull(),
    /** The invoice period, `YYYY-MM`. */
    period: text('period').notNull(),
    thresholdPercent: integer('threshold_percent').notNull(),
    spentMicro: integer('spent_micro').notNull(),
    /** The part of `spent` not rated yet when the alert was raised (the estimate of the hours after
     * the rating cursor); 0 when every hour counted was rated. */
    estimatedMicro: integer('estimated_micro').notNull().default(0),
    /** Cluster-clock instant before which the spend counted was rated (null: nothing was). */
    ratedThrough: integer('rated_through'),
    budgetMicro: integer('budget_micro').notNull(),
    createdAt: integer('created_at').notNull(),
    /** none (tenant has no webhook) | pending | delivered | failed */
    webhookStatus: text('webhook_status').notNull(),
    webhookAttempts: integer('webhook_attempts').notNull().default(0),
  },
  (t) => [uniqueIndex('billing_alerts_once').on(t.budgetId, t.period, t.thresholdPercent), index('billing_alerts_tenant').on(t.tenantId, t.createdAt)],
);
