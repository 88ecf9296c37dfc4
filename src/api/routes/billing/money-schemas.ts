import { z } from '@hono/zod-openapi';

/** Shared by billing, costs and estimates: money, line items and a result priced under one provider. */
export const MoneySchema = z
  .object({ amount: z.string().openapi({ example: '283.24' }), currency: z.literal('USD') })
  .openapi('Money', { description: 'A decimal amount of USD as a string, rounded to the cent at the end of a computation (unit prices keep every digit).' });

export const LineItemSchema = z
  .object({
    item: z.string().openapi({ example: 'node:m5.large' }),
    description: z.string(),
    quantity: z.string().openapi({ example: '2190' }),
    unit: z.string().openapi({ example: 'instance-hour' }),
    unitPrice: MoneySchema,
    amount: MoneySchema,
  })
  .openapi('LineItem');

export const PricedResultSchema = z
  .object({
    provider: z.enum(['eks', 'gke', 'aks']),
    tier: z.string(),
    region: z.string(),
    lineItems: z.array(LineItemSchema),
    subtotal: MoneySchema,
    credits: MoneySchema,
    total: MoneySchema,
    nodeTypes: z
      .array(z.object({ recorded: z.string(), priced: z.string() }))
      .openapi({ description: 'The instance type each node was priced as (same vCPU and memory).' }),
    notes: z.array(z.string()),
  })
  .openapi('PricedResult');

/** Drops internal micro-dollar fields from a priced result. */
export function pricedView<T extends { totalMicro: number }>(r: T): Omit<T, 'totalMicro'> {
  const { totalMicro: _internal, ...rest } = r;
  return rest;
}

/** What the surge nodes of one upgrade of every pool cost under one provider's surge model. */
export const UpgradePlanCostSchema = z
  .object({
    provider: z.enum(['eks', 'gke', 'aks']),
    region: z.string(),
    minutesPerBatch: z.number(),
    pools: z.array(
      z.object({
        name: z.string(),
        instanceType: z.string().openapi({ description: 'The instance type priced (the same shape at another provider)' }),
        count: z.number().int(),
        maxSurge: z.string(),
        maxUnavailable: z.string(),
        surgeNodes: z.number().int(),
        batches: z.number().int(),
        hours: z.number(),
        surgeNodeHours: z.number(),
      }),
    ),
    lineItems: z.array(LineItemSchema),
    total: MoneySchema,
    notes: z.array(z.string()),
  })
  .openapi('UpgradePlanCost');

export const UpgradePlanRequest = z
  .object({
    minutesPerBatch: z
      .number()
      .positive()
      .max(240)
      .default(10)
      .openapi({ description: 'How long one batch (boot new nodes, drain and remove old ones) takes' }),
  })
  .strict()
  .openapi('UpgradePlanRequest');
