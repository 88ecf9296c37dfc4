import { z } from '@hono/zod-openapi';
import { CreateClusterRequest, NodePoolInput } from '../clusters/schemas.ts';
import { ComparisonFields } from '../costs/schemas.ts';
import { UpgradePlanCostSchema, UpgradePlanRequest } from '../billing/money-schemas.ts';

const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/, 'must be a Kubernetes quantity such as 500m or 2Gi');

/**
 * The create-cluster body as it is (a `name`, `tier`, every node-pool field), so "what would this
 * cluster cost" reuses the request that creates it, plus what only an estimate needs.
 */
export const EstimateRequest = CreateClusterRequest.extend({
  name: CreateClusterRequest.shape.name.optional().openapi({ description: 'Echoed back; lets the create-cluster body be sent as it is.' }),
  nodePools: z
    .array(z.object({ ...NodePoolInput.shape, name: NodePoolInput.shape.name.optional() }).strict())
    .min(1)
    .max(10)
    .openapi({ description: 'Node pools as in the create-cluster body (a pool name is optional here); each priced at its `count`.' }),
  regional: z.boolean().default(false).openapi({
    description: 'A regional (multi-zone control plane) GKE Standard cluster gets no free tier; Autopilot clusters are always regional and keep it.',
  }),
  hours: z
    .number()
    .positive()
    .max(8784)
    .default(730)
    .openapi({ description: "How long the cluster runs; 730 h is the month every provider's calculator uses." }),
  volumes: z
    .array(
      z
        .object({ sizeGiB: z.number().positive().max(65536), storageClass: z.string().optional(), count: z.number().int().min(1).max(1000).default(1) })
        .strict(),
    )
    .max(50)
    .default([]),
  loadBalancers: z.number().int().min(0).max(100).default(0),
  workloads: z
    .array(z.object({ name: z.string().min(1).max(63), replicas: z.number().int().min(0).max(10000), cpu: quantity, memory: quantity }).strict())
    .max(100)
    .optional()
    .openapi({ description: "Pod requests for Autopilot pricing; without them Autopilot pods are assumed to request the node pools' capacity." }),
  upgradePlan: UpgradePlanRequest.optional().openapi({
    description: "Also price one version upgrade of every pool: the surge nodes under each provider's surge model",
  }),
})
  .strict()
  .openapi('EstimateRequest', {
    description:
      'A create-cluster body (`POST /v1/clusters`), optionally with hours, volumes, load balancers and workloads. Pools are priced at their `count`.',
    example: { name: 'shop', provider: 'eks', region: 'us-east-1', nodePools: [{ name: 'default', instanceType: 'm5.large', count: 3 }], hours: 730 } as never,
  });

export const EstimateSchema = z
  .object({ name: z.string().optional(), ...ComparisonFields, upgradePlan: z.array(UpgradePlanCostSchema).optional() })
  .openapi('Estimate', {
    description:
      'The same shape as a cost comparison: the cost under every provider and tier. 3 × m5.large on EKS standard for 730 h: 730 × (0.10 + 3 × 0.096) = $283.24.',
  });
