import { z } from '@hono/zod-openapi';

const isoInstant = z.string().datetime({ offset: true });
const Series = z.array(z.number().nullable()).openapi('Series', { description: 'One value per timestamp; null where nothing was known.' });

export const ClusterIdParam = z.object({ clusterId: z.string().openapi({ param: { name: 'clusterId', in: 'path' }, example: 'cls_0123456789abcdef' }) });

export const MonitoringQuery = z
  .object({
    from: isoInstant.optional().openapi({ description: "Start, in the cluster's clock; default: `range` before `to`." }),
    to: isoInstant.optional().openapi({ description: "End, in the cluster's clock; default: the cluster's now." }),
    step: z
      .string()
      .regex(/^\d+(\.\d+)?[smh]?$/, 'must be a duration such as 15s, 5m, 1h or a number of seconds')
      .optional()
      .openapi({ description: 'Resolution; default: about 120 points, at least 15s (the sampling interval).' }),
    range: z
      .string()
      .regex(/^\d+(\.\d+)?[smh]?$/, 'must be a duration such as 15m, 6h or a number of seconds')
      .optional()
      .openapi({ description: 'Window length ending at `to` when `from` is not given; default 1h.' }),
  })
  .strict();

const ResourceSeries = z
  .object({ allocatable: Series, requests: Series, usage: Series, requestsPercent: Series, usagePercent: Series })
  .openapi('ResourceSeries', { description: 'CPU in cores, memory in bytes; percents are of allocatable.' });

const HpaDecision = z
  .object({
    at: z.string(),
    namespace: z.string(),
    name: z.string(),
    target: z.string(),
    fromReplicas: z.number().int(),
    toReplicas: z.number().int(),
    cpuUtilization: z.number().nullable(),
    targetCpuUtilization: z.number().nullable(),
    reason: z.string().nullable(),
  })
  .openapi('HpaDecision');

export const MonitoringReportSchema = z
  .object({
    clusterId: z.string(),
    from: z.string(),
    to: z.string(),
    stepSeconds: z.number(),
    timestamps: z.array(z.string()),
    pools: z.array(z.object({ name: z.string(), instanceType: z.string(), nodes: Series, readyNodes: Series, cpu: ResourceSeries, memory: ResourceSeries })),
    nodes: z.array(
      z.object({
        name: z.string(),
        pool: z.string(),
        ready: Series,
        cpuRequestsPercent: Series,
        cpuUsagePercent: Series,
        memoryRequestsPercent: Series,
        memoryUsagePercent: Series,
      }),
    ),
    nodesTruncated: z.boolean(),
    pods: z.object({
      phases: z.object({ Pending: Series, Running: Series, Succeeded: Series, Failed: Series, Unknown: Series }),
      pending: Series,
      unschedulable: Series,
      restarting: Series.openapi({ description: 'Pods with a container in CrashLoopBackOff.' }),
      restarts: Series.openapi({ description: 'Container restarts during each step.' }),
    }),
    deployments: z.array(z.object({ namespace: z.string(), name: z.string(), desired: Series, ready: Series, available: Series })),
    hpas: z.array(
      z.object({
        namespace: z.string(),
        name: z.string(),
        target: z.string(),
        minReplicas: Series,
        maxReplicas: Series,
        currentReplicas: Series,
        desiredReplicas: Series,
        cpuUtilization: Series,
        targetCpuUtilization: Series,
      }),
    ),
    hpaDecisions: z.array(HpaDecision),
  })
  .openapi('MonitoringReport');

export const HealthSchema = z
  .object({
    clusterId: z.string(),
    clusterStatus: z.string(),
    status: z.enum(['healthy', 'degraded', 'unhealthy']),
    checkedAt: z.string(),
    nodes: z.object({
      total: z.number().int(),
      ready: z.number().int(),
      notReady: z.array(z.object({ name: z.string(), reason: z.string(), message: z.string(), unschedulable: z.boolean(), taints: z.array(z.string()) })),
    }),
    workloads: z.object({
      total: z.number().int(),
      available: z.number().int(),
      unavailable: z.array(
        z.object({
          kind: z.enum(['Deployment', 'StatefulSet', 'DaemonSet']),
          namespace: z.string(),
          name: z.string(),
          desired: z.number().int(),
          ready: z.number().int(),
          available: z.number().int(),
          reason: z.string(),
          message: z.string(),
        }),
      ),
    }),
    crashLoopingPods: z.array(
      z.object({
        namespace: z.string(),
        name: z.string(),
        container: z.string(),
        restarts: z.number().int(),
        lastTerminationReason: z.string().nullable(),
        exitCode: z.number().int().nullable(),
        message: z.string(),
      }),
    ),
    unschedulablePods: z.array(z.object({ namespace: z.string(), name: z.string(), reason: z.string(), message: z.string(), since: z.string().nullable() })),
  })
  .openapi('ClusterHealth');

export const EventsQuery = z
  .object({
    since: isoInstant.optional().openapi({ description: "Oldest event to return, in the cluster's clock; default: 24 hours ago." }),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
    source: z
      .enum(['kubernetes', 'control-plane', 'provisioning', 'scaling', 'autoscaler', 'billing', 'nodes'])
      .optional()
      .openapi({ description: '`control-plane` selects every source but `kubernetes`.' }),
    type: z.enum(['Normal', 'Warning']).optional(),
  })
  .strict();

export const EventListSchema = z
  .object({
    clusterId: z.string(),
    items: z.array(
      z.object({
        time: z.string(),
        source: z.string(),
        type: z.enum(['Normal', 'Warning']),
        reason: z.string(),
        message: z.string(),
        object: z.string().nullable(),
        namespace: z.string().nullable(),
        count: z.number().int(),
      }),
    ),
  })
  .openapi('ClusterEventList');
