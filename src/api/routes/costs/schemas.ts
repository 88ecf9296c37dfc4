import { z } from '@hono/zod-openapi';
import { MoneySchema, PricedResultSchema, UpgradePlanCostSchema } from '../billing/money-schemas.ts';
import { RatedThrough } from '../billing/schemas.ts';

const isoInstant = z.string().datetime({ offset: true });

export const ClusterIdParam = z.object({ clusterId: z.string().openapi({ param: { name: 'clusterId', in: 'path' }, example: 'cls_0123456789abcdef' }) });

export const CostsQuery = z
  .object({
    from: isoInstant.optional().openapi({ description: "Start in the cluster's clock; default: start of its current month." }),
    to: isoInstant.optional().openapi({ description: "End in the cluster's clock; default: its current time." }),
    groupBy: z
      .string()
      .regex(/^(namespace|workload|label:[A-Za-z0-9./_-]{1,317})$/, 'must be namespace, workload or label:<key>')
      .default('namespace'),
    shareIdle: z.enum(['none', 'weighted']).default('none'),
  })
  .strict();

export const CompareQuery = z
  .object({
    from: isoInstant.optional().openapi({ description: "Start in the cluster's clock; default: start of its current month." }),
    to: isoInstant.optional().openapi({ description: "End in the cluster's clock; default: its current time." }),
    upgradeMinutesPerBatch: z.coerce
      .number()
      .positive()
      .max(240)
      .optional()
      .openapi({ description: "Also price one version upgrade of the cluster's pools under each provider's surge model, each batch taking this many minutes" }),
  })
  .strict();

export const CostAllocationSchema = z
  .object({
    clusterId: z.string(),
    from: z.string(),
    to: z.string(),
    groupBy: z.string(),
    shareIdle: z.enum(['none', 'weighted']),
    allocations: z.array(
      z.object({
        name: z.string(),
        cpuCost: MoneySchema,
        memoryCost: MoneySchema,
        storageCost: MoneySchema,
        loadBalancerCost: MoneySchema,
        podCost: MoneySchema,
        sharedIdleCost: MoneySchema,
        totalCost: MoneySchema,
      }),
    ),
    idle: z.object({ name: z.literal('__idle__'), cpuCost: MoneySchema, memoryCost: MoneySchema, totalCost: MoneySchema }),
    overhead: z.object({ name: z.literal('__overhead__'), controlPlaneCost: MoneySchema }),
    total: MoneySchema,
    estimated: MoneySchema,
  })
  .openapi('CostAllocation', {
    description:
      "Node cost shared by max(request, usage) of CPU and memory (usage: the pod's hourly average from metrics), weighted by price; what no pod claims is idle, the control plane is overhead. Allocation totals, idle and overhead add up to the total, which equals the cluster's invoice subtotal for the same hours, the not-yet-rated ones included (`estimated`).",
  });

/** What compare and estimate both answer: a window of hours and one priced result per provider and tier. */
export const ComparisonFields = {
  from: z.string(),
  to: z.string(),
  hours: z.number().openapi({ description: 'Length of the window in hours.' }),
  actual: z
    .object({ provider: z.enum(['eks', 'gke', 'aks']), tier: z.string(), region: z.string() })
    .openapi({ description: 'The provider, tier and region the cluster runs (or would run) on.' }),
  results: z.array(PricedResultSchema),
};

export const ComparisonSchema = z
  .object({
    clusterId: z.string(),
    ...ComparisonFields,
    ratedThrough: RatedThrough,
    estimated: MoneySchema,
    upgradePlan: z.array(UpgradePlanCostSchema).optional(),
  })
  .openapi('CostComparison');
