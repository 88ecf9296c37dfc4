import { z } from '@hono/zod-openapi';
import { EXPANDERS } from '../../../autoscaling/cluster-autoscaler/settings.ts';

const seconds = (max: number) => z.number().int().min(0).max(max);

export const AutoscalerSettingsSchema = z
  .object({
    expander: z
      .string()
      .refine((s) => s.split(',').every((x) => (EXPANDERS as readonly string[]).includes(x.trim())), `each expander must be one of ${EXPANDERS.join(', ')}`)
      .openapi({
        example: 'least-waste',
        description: 'One expander or a chain such as "priority,least-waste"; `priority` reads ConfigMap kube-system/cluster-autoscaler-priority-expander',
      }),
    scanIntervalSeconds: z.number().int().min(1).max(600),
    scaleDownEnabled: z.boolean(),
    scaleDownUtilizationThreshold: z.number().min(0).max(1),
    scaleDownUnneededTimeSeconds: seconds(86_400),
    scaleDownUnreadyTimeSeconds: seconds(86_400),
    scaleDownDelayAfterAddSeconds: seconds(86_400),
    scaleDownDelayAfterDeleteSeconds: seconds(86_400),
    scaleDownDelayAfterFailureSeconds: seconds(86_400),
    maxEmptyBulkDelete: z.number().int().min(1).max(1000),
    maxGracefulTerminationSeconds: seconds(86_400),
    maxNodeProvisionTimeSeconds: seconds(86_400).openapi({
      description: 'Nodes not registered this long after a scale-up are removed and their group backs off',
    }),
    initialNodeGroupBackoffDurationSeconds: seconds(86_400).openapi({
      description: 'Back-off of a node group after its first failed scale-up (doubles on each later failure)',
    }),
    maxNodeGroupBackoffDurationSeconds: seconds(86_400).openapi({ description: 'Longest back-off of a node group' }),
    nodeGroupBackoffResetTimeoutSeconds: seconds(86_400).openapi({
      description: 'A group that has not failed for this long starts again from the initial back-off',
    }),
    newPodScaleUpDelaySeconds: seconds(86_400),
    maxNodesTotal: z.number().int().min(0).max(100_000),
    skipNodesWithLocalStorage: z.boolean(),
    skipNodesWithSystemPods: z.boolean(),
    ignoreDaemonSetsUtilization: z.boolean(),
    provisioningDelaySeconds: seconds(3_600).optional().openapi({ description: 'Boot time of new nodes; the provider default when absent' }),
    dryRun: z.boolean().openapi({ description: 'Record decisions without acting' }),
  })
  .openapi('AutoscalerSettings');

export const AutoscalerSettingsRequest = AutoscalerSettingsSchema.partial().strict().openapi('AutoscalerSettingsRequest');

const Utilization = z.object({ cpu: z.number(), memory: z.number() });

export const NodeStatusSchema = z
  .object({
    node: z.string(),
    group: z.string().optional(),
    ready: z.boolean(),
    utilization: Utilization.openapi({ description: 'Requests over allocatable, 0..1' }),
    candidate: z.boolean().openapi({ description: 'A scale-down candidate right now' }),
    reason: z.string().openapi({ example: 'NotUnderutilized' }),
    message: z.string(),
    blockingPod: z.string().optional(),
    podsToMove: z.array(z.string()),
    unneededSince: z.string().optional(),
    removableAt: z.string().optional(),
  })
  .openapi('AutoscalerNodeStatus');

export const PendingPodStatusSchema = z
  .object({
    namespace: z.string(),
    name: z.string(),
    outcome: z.enum(['fits-existing-node', 'fits-upcoming-node', 'triggered-scale-up', 'no-scale-up']),
    node: z.string().optional(),
    groups: z.record(z.string(), z.string()).openapi({ description: 'Per node pool: why it cannot take the pod' }),
    message: z.string(),
  })
  .openapi('AutoscalerPendingPod');

export const NodeGroupBackoffSchema = z
  .object({
    until: z.string(),
    durationSeconds: z.number(),
    errorClass: z.string().openapi({ example: 'OutOfResource' }),
    errorCode: z.string().openapi({ example: 'InsufficientInstanceCapacity' }),
    errorMessage: z.string(),
  })
  .openapi('NodeGroupBackoff');

export const NodeGroupStatusSchema = z
  .object({
    name: z.string(),
    minSize: z.number().int(),
    maxSize: z.number().int(),
    targetSize: z.number().int(),
    registered: z.number().int(),
    ready: z.number().int(),
    upcoming: z.number().int(),
    scaleUpStatus: z.enum(['NoActivity', 'InProgress', 'Backoff']),
    backoff: NodeGroupBackoffSchema.optional().openapi({ description: 'Present while the group is backed off after a failed scale-up' }),
  })
  .openapi('AutoscalerNodeGroupStatus');

export const AutoscalerStatusSchema = z
  .object({
    lastRun: z.string().nullable(),
    dryRun: z.boolean(),
    settings: AutoscalerSettingsSchema,
    scaleUp: z.object({
      status: z.enum(['NoActivity', 'InProgress']),
      lastScaleUpTime: z.string().optional(),
      options: z.array(z.object({ group: z.string(), nodeCount: z.number().int(), pods: z.number().int() })),
    }),
    scaleDown: z.object({
      status: z.enum(['NoCandidates', 'CandidatesPresent', 'InCooldown', 'Disabled']),
      candidates: z.number().int(),
      cooldownUntil: z.string().optional(),
      lastScaleDownTime: z.string().optional(),
    }),
    nodeGroups: z.array(NodeGroupStatusSchema),
    nodes: z.array(NodeStatusSchema),
    pendingPods: z.array(PendingPodStatusSchema),
  })
  .openapi('AutoscalerStatus');

export const AutoscalerEventSchema = z
  .object({ id: z.number().int(), type: z.enum(['Normal', 'Warning']), reason: z.string(), message: z.string(), at: z.string() })
  .openapi('AutoscalerEvent');

export const AutoscalerEventList = z.object({ items: z.array(AutoscalerEventSchema), nextCursor: z.string().nullable() }).openapi('AutoscalerEventList');

export const EventsQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(100)
    .openapi({ param: { name: 'limit', in: 'query' } }),
  cursor: z
    .string()
    .regex(/^\d+$/)
    .optional()
    .openapi({ param: { name: 'cursor', in: 'query' } }),
});
