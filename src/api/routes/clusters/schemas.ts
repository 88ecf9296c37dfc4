import { z } from '@hono/zod-openapi';
import { DEFAULT_KUBERNETES_VERSION } from '../../../kube/version.ts';
import { PageQuery } from '../paging.ts';

const dnsLabel = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label (lower-case alphanumerics and -, starting and ending alphanumeric)');

export const TaintSchema = z
  .object({ key: z.string().min(1).max(253), value: z.string().max(63).optional(), effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']) })
  .strict()
  .openapi('Taint');

/** A surge setting as the providers spell it: a node count (2 or "2") or a share of the pool ("10%"). */
export const SurgeValue = z
  .union([z.number().int().min(0).max(100), z.string().regex(/^(100|[1-9]?[0-9])%?$/, 'must be a count such as "1" or a percentage such as "10%"')])
  .transform((v) => String(v))
  .openapi({ type: 'string', example: '1' });

export const UpgradeSettingsInput = z
  .object({ maxSurge: SurgeValue.optional(), maxUnavailable: SurgeValue.optional() })
  .strict()
  .openapi('UpgradeSettingsInput', {
    description: "Surge upgrade settings; omitted values take the provider's default (GKE 1/0, AKS 10%/0, EKS maxUnavailable 1).",
  });

export const NodePoolInput = z
  .object({
    name: dnsLabel(40),
    instanceType: z.string().min(1),
    count: z.number().int().min(0).max(1000),
    minCount: z.number().int().min(0).max(1000).optional(),
    maxCount: z.number().int().min(0).max(1000).optional(),
    autoscaling: z.boolean().default(false),
    labels: z.record(z.string(), z.string()).default({}),
    taints: z.array(TaintSchema).default([]),
    zones: z.array(z.string().min(1)).max(10).optional().openapi({ description: 'Zones of the region the pool spreads over (default: all of them)' }),
    capacityType: z.enum(['ON_DEMAND', 'SPOT']).default('ON_DEMAND'),
    upgradeSettings: UpgradeSettingsInput.optional(),
  })
  .strict()
  .openapi('NodePoolInput');

export const NodePoolSchema = z
  .object({
    name: z.string(),
    instanceType: z.string(),
    count: z.number().int(),
    minCount: z.number().int(),
    maxCount: z.number().int(),
    autoscaling: z.boolean(),
    labels: z.record(z.string(), z.string()),
    taints: z.array(TaintSchema),
    version: z.string().openapi({ description: "Kubernetes minor of the pool's kubelets" }),
    zones: z.array(z.string()),
    capacityType: z.enum(['ON_DEMAND', 'SPOT']),
    upgradeSettings: z.object({ maxSurge: z.string(), maxUnavailable: z.string() }),
    status: z.enum(['PROVISIONING', 'READY', 'RECONCILING', 'DELETING']),
  })
  .openapi('NodePool');

export const VersionSupport = z.enum(['standard', 'extended']).openapi('VersionSupport');

export const ClusterStatus = z.enum(['PROVISIONING', 'RUNNING', 'UPDATING', 'DELETING', 'DELETED', 'FAILED']).openapi('ClusterStatus');

export const CreateClusterRequest = z
  .object({
    name: dnsLabel(40),
    provider: z.enum(['eks', 'gke', 'aks']),
    tier: z.string().optional(),
    region: z.string().min(1),
    kubernetesVersion: z
      .string()
      .regex(/^1\.(2[7-9]|3[0-3])$/, 'must be one of 1.27 … 1.33')
      .default(DEFAULT_KUBERNETES_VERSION),
    nodePools: z.array(NodePoolInput).min(1).max(10),
    timeScale: z.number().min(1).max(3600).default(1),
    labels: z.record(z.string(), z.string()).default({}),
    versionSupport: VersionSupport.optional().openapi({
      description:
        "What happens past standard support: `extended` is EKS extended support (the default there, $0.60 per cluster-hour), the GKE Extended release channel ($0.50 per cluster-hour on top past standard support) or AKS Long Term Support (Premium tier only); `standard` is each provider's standard support (the default on GKE and AKS).",
    }),
  })
  .strict()
  .openapi('CreateClusterRequest');

export const UpdateClusterRequest = z
  .object({
    nodePools: z
      .array(
        z
          .object({
            name: z.string(),
            count: z.number().int().min(0).max(1000).optional(),
            minCount: z.number().int().min(0).max(1000).optional(),
            maxCount: z.number().int().min(0).max(1000).optional(),
            autoscaling: z.boolean().optional(),
          })
          .strict(),
      )
      .optional(),
    labels: z.record(z.string(), z.string()).optional(),
  })
  .strict()
  .openapi('UpdateClusterRequest');

export const ClusterSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    provider: z.enum(['eks', 'gke', 'aks']),
    tier: z.string(),
    region: z.string(),
    kubernetesVersion: z.string(),
    status: ClusterStatus,
    timeScale: z.number(),
    nodePools: z.array(NodePoolSchema),
    labels: z.record(z.string(), z.string()),
    versionSupport: VersionSupport,
    endpoint: z.string().openapi({ description: 'Kubernetes API server URL of this cluster' }),
    createdAt: z.string(),
    updatedAt: z.string(),
    deletedAt: z.string().nullable(),
  })
  .openapi('Cluster');

export const OperationStepSchema = z
  .object({
    name: z.string().openapi({ example: 'node-pool/default' }),
    status: z.enum(['PENDING', 'RUNNING', 'DONE', 'FAILED']),
    message: z.string().optional(),
    nodesTotal: z.number().int().optional(),
    nodesDone: z.number().int().optional(),
    surgeNodes: z.number().int().optional(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
  })
  .openapi('OperationStep');

export const OperationSchema = z
  .object({
    id: z.string(),
    clusterId: z.string(),
    type: z.enum(['CREATE_CLUSTER', 'UPDATE_CLUSTER', 'DELETE_CLUSTER', 'UPGRADE_CLUSTER', 'CREATE_NODE_POOL', 'UPDATE_NODE_POOL', 'DELETE_NODE_POOL']),
    status: z.enum(['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED']),
    error: z.string().nullable(),
    steps: z
      .array(OperationStepSchema)
      .optional()
      .openapi({ description: 'Progress of upgrades and node pool changes, one step per part (control plane, each pool)' }),
    createdAt: z.string(),
    startedAt: z.string().nullable(),
    finishedAt: z.string().nullable(),
  })
  .openapi('Operation');

export const ClusterAccepted = ClusterSchema.extend({ operation: OperationSchema }).openapi('ClusterAccepted');

export const ClusterList = z.object({ items: z.array(ClusterSchema), nextCursor: z.string().nullable() }).openapi('ClusterList');

export const ClusterIdParam = z.object({ clusterId: z.string().openapi({ param: { name: 'clusterId', in: 'path' }, example: 'cls_0123456789abcdef' }) });

export const ListClustersQuery = z.object({
  status: ClusterStatus.optional().openapi({ param: { name: 'status', in: 'query' } }),
  ...PageQuery.shape,
});

export const CreateClusterTokenRequest = z
  .object({ role: z.enum(['view', 'edit']), namespaces: z.array(dnsLabel(63)).min(1).max(50), name: z.string().max(100).optional() })
  .strict()
  .openapi('CreateClusterTokenRequest');

export const ClusterTokenSchema = z
  .object({ id: z.string(), role: z.enum(['view', 'edit']), namespaces: z.array(z.string()), token: z.string(), createdAt: z.string() })
  .openapi('ClusterToken');

export type CreateClusterInput = z.infer<typeof CreateClusterRequest>;
export type UpdateClusterInput = z.infer<typeof UpdateClusterRequest>;
