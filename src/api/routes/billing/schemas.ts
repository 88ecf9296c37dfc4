import { z } from '@hono/zod-openapi';
import { LineItemSchema, MoneySchema } from './money-schemas.ts';

const isoInstant = z.string().datetime({ offset: true });

export const RatedThrough = z.string().nullable().openapi({
  description:
    'Cluster-clock instant before which every amount is rated and final (the billing cycle rates each cluster hour a minute after it ends, every BILLING_MS); null when nothing is rated yet.',
});
/** The part of an amount not rated yet: the hours after the rating cursor, priced the way the rating
 * will price them, the current hour up to the cluster's now. */
export const EstimatedAmount = MoneySchema;

export const UsageQuery = z
  .object({
    from: isoInstant.optional().openapi({ description: 'Start (inclusive) of the hours to report; default: start of the current month.' }),
    to: isoInstant.optional().openapi({ description: 'End (exclusive); default: the end of the current month (each cluster counts up to its own now).' }),
    groupBy: z.enum(['cluster', 'lineItem', 'day', 'hour']).default('hour'),
  })
  .strict();

export const UsageReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    groupBy: z.enum(['cluster', 'lineItem', 'day', 'hour']),
    groups: z.array(
      z.object({
        hour: z.string().optional(),
        day: z.string().optional(),
        clusterId: z.string().optional(),
        clusterName: z.string().optional(),
        item: z.string().optional(),
        description: z.string().optional(),
        quantity: z.string().optional(),
        unit: z.string().optional(),
        unitPrice: MoneySchema.optional(),
        amount: MoneySchema,
        estimated: z
          .boolean()
          .optional()
          .openapi({ description: "groupBy=hour: this hour is not rated yet; its amount is priced from what ran, up to the cluster's now." }),
      }),
    ),
    total: MoneySchema,
    ratedThrough: RatedThrough,
    estimated: EstimatedAmount,
  })
  .openapi('UsageReport');

export const PeriodParam = z.object({
  period: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month, YYYY-MM')
    .openapi({ param: { name: 'period', in: 'path' }, example: '2026-01' }),
});

export const InvoiceSchema = z
  .object({
    tenantId: z.string(),
    period: z.string(),
    status: z.enum(['open', 'closed']),
    from: z.string(),
    to: z.string(),
    lineItems: z.array(LineItemSchema.extend({ clusterId: z.string().optional(), provider: z.string().optional() })),
    clusters: z.array(z.object({ clusterId: z.string(), name: z.string(), provider: z.string(), subtotal: MoneySchema })),
    subtotal: MoneySchema,
    credits: MoneySchema,
    total: MoneySchema,
    ratedThrough: RatedThrough,
    estimated: EstimatedAmount,
    forecast: MoneySchema.optional().openapi({
      description:
        "Open period only: the month to date plus what runs now (current node count, volumes, load balancers, Autopilot pods, control plane) priced from each cluster's now to the month end, free-tier credit taken over the whole month.",
    }),
  })
  .openapi('Invoice');

export const InvoiceListSchema = z
  .object({
    items: z.array(
      z.object({
        period: z.string(),
        status: z.enum(['open', 'closed']),
        total: MoneySchema,
        estimated: EstimatedAmount,
        ratedThrough: RatedThrough,
        forecast: MoneySchema.optional(),
      }),
    ),
  })
  .openapi('InvoiceList');

export const BudgetScopeSchema = z
  .object({
    clusterId: z.string().optional().openapi({ description: 'Count only this cluster.' }),
    label: z
      .string()
      .regex(/^[A-Za-z0-9./_-]{1,317}=[A-Za-z0-9._-]{0,63}$/, 'must be key=value, a cluster label')
      .optional()
      .openapi({ description: 'Count only clusters labelled key=value.', example: 'team=shop' }),
  })
  .strict()
  .openapi('BudgetScope', { description: 'What the budget counts; empty: the whole tenant.' });

export const CreateBudgetRequest = z
  .object({
    name: z.string().min(1).max(100),
    amount: z
      .string()
      .regex(/^\d+(\.\d{1,2})?$/, 'must be a USD amount such as "500" or "499.99"')
      .openapi({ example: '500.00' }),
    thresholds: z.array(z.number().int().min(1).max(1000)).min(1).max(10).default([50, 80, 100]).openapi({
      description:
        'Percents of the amount that raise an alert when reached in a month; thresholds already passed when the budget is created are not alerted that month.',
    }),
    scope: BudgetScopeSchema.default({}),
  })
  .strict()
  .openapi('CreateBudgetRequest');

export const BudgetSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    amount: MoneySchema,
    thresholds: z.array(z.number().int()),
    createdAt: z.string(),
    scope: BudgetScopeSchema,
    status: z
      .object({
        period: z.string(),
        spent: MoneySchema,
        forecast: MoneySchema,
        ratedThrough: RatedThrough,
      })
      .openapi({
        description:
          "This month in the scope: spent (rated and estimated, after credits) and the forecast to month end, i.e. spent plus what runs now (every open node, volume, load balancer, Autopilot pod and the control plane) priced from each cluster's now to the month end.",
      }),
  })
  .openapi('Budget');

export const BudgetIdParam = z.object({ budgetId: z.string().openapi({ param: { name: 'budgetId', in: 'path' }, example: 'bud_0123456789abcdef' }) });

export const AlertSchema = z
  .object({
    id: z.string(),
    budgetId: z.string(),
    period: z.string(),
    thresholdPercent: z.number().int(),
    spent: MoneySchema.openapi({
      description: 'What the scope owed when the threshold was reached: rated hours plus the estimate of those not rated yet, after credits.',
    }),
    estimated: EstimatedAmount.openapi({
      description:
        'The part of spent that was an estimate of hours not rated yet; 0.00 when all of it was rated. The alert is not raised again when the rating catches up.',
    }),
    ratedThrough: RatedThrough,
    budget: MoneySchema,
    createdAt: z.string(),
    webhook: z.object({ status: z.enum(['none', 'pending', 'delivered', 'failed']), attempts: z.number().int() }),
  })
  .openapi('BudgetAlert');

export const AlertsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }).strict();
