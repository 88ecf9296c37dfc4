import { z } from '@hono/zod-openapi';
import { PricedResultSchema, UpgradePlanCostSchema, UpgradePlanRequest } from '../billing/money-schemas.ts';

const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'must be a Kubernetes quantity such as 500m or 2Gi');

export const EstimateRequest = z
  .object({
    provider: z.enum(['eks', 'gke', 'aks']),
    region: z.string().min(1),
    regional: z.boolean().default(false).openapi({ description: 'A regional (multi-zone control plane) GKE cluster gets no free tier.' }),
    hours: z.number().positive().max(8784).default(730).openapi({ description: 'How long the cluster runs; 730 h is the month every provider\'s calculator uses.' }),
    nodePools: z.array(z.object({ instanceType: z.string().min(1), count: z.number().int().min(0).max(1000) }).strict()).min(1).max(10),
    volumes: z.array(z.object({ sizeGiB: z.number().positive().max(65536), storageClass: z.string().optional(), count: z.number().int().min(1).max(1000).default(1) }).strict()).max(50).default([]),
    loadBalancers: z.number().int().min(0).max(100).default(0),
    workloads: z
      .array(z.object({ name: z.string().min(1).max(63), replicas: z.number().int().min(0).max(10000), cpu: quantity, memory: quantity }).strict())
      .max(100)
      .optional()
      .openapi({ description: 'Pod requests for Autopilot pricing; without them Autopilot pods are assumed to request the node pools\' capacity.' }),
    upgradePlan: UpgradePlanRequest.optional().openapi({ description: 'Also price one version upgrade of every pool: the surge nodes under each provider\'s surge model' }),
  })
  .strict()
  .openapi('EstimateRequest', { example: { provider: 'eks', region: 'us-east-1', nodePools: [{ instanceType: 'm5.large', count: 3 }], hours: 730 } as never });

export const EstimateSchema = z
  .object({ hours: z.number(), results: z.array(PricedResultSchema), upgradePlan: z.array(UpgradePlanCostSchema).optional() })
  .openapi('Estimate', { description: 'The cost under every provider and tier. 3 × m5.large on EKS standard for 730 h: 730 × (0.10 + 3 × 0.096) = $283.24.' });
