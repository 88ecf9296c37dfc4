import { z } from '@hono/zod-openapi';
import { NodePoolInput, NodePoolSchema, OperationSchema, TaintSchema, UpgradeSettingsInput } from '../clusters/schemas.ts';

export const CreateNodePoolRequest = NodePoolInput.openapi('CreateNodePoolRequest');

export const UpdateNodePoolRequest = z
  .object({
    instanceType: z.string().min(1).optional().openapi({ description: "A new machine type replaces every node with the pool's surge settings" }),
    count: z.number().int().min(0).max(1000).optional(),
    minCount: z.number().int().min(0).max(1000).optional(),
    maxCount: z.number().int().min(0).max(1000).optional(),
    autoscaling: z.boolean().optional(),
    labels: z.record(z.string(), z.string()).optional().openapi({ description: "Replaces the pool's labels; nodes are relabelled in place" }),
    taints: z.array(TaintSchema).optional(),
    zones: z.array(z.string().min(1)).max(10).optional(),
    capacityType: z.enum(['ON_DEMAND', 'SPOT']).optional(),
    upgradeSettings: UpgradeSettingsInput.optional(),
  })
  .strict()
  .openapi('UpdateNodePoolRequest');

export const NodePoolAccepted = NodePoolSchema.extend({ operation: OperationSchema }).openapi('NodePoolAccepted');
export const NodePoolList = z.object({ items: z.array(NodePoolSchema) }).openapi('NodePoolList');

export const NodePoolParams = z.object({
  clusterId: z.string().openapi({ param: { name: 'clusterId', in: 'path' }, example: 'cls_0123456789abcdef' }),
  poolName: z.string().openapi({ param: { name: 'poolName', in: 'path' }, example: 'default' }),
});

export const UpgradeClusterRequest = z
  .object({
    kubernetesVersion: z.string().regex(/^1\.\d{1,2}$/, 'must be a Kubernetes minor such as 1.32'),
    nodePools: z
      .array(z.string())
      .max(10)
      .optional()
      .openapi({ description: 'Pools to upgrade after the control plane (default: all; [] upgrades the control plane only)' }),
  })
  .strict()
  .openapi('UpgradeClusterRequest');

export type CreateNodePoolInput = z.infer<typeof CreateNodePoolRequest>;
export type UpdateNodePoolInput = z.infer<typeof UpdateNodePoolRequest>;
