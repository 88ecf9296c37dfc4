import { POD_PHASES, type ClusterSnapshot, type PodPhase } from './snapshot.ts';
import type { StoredSample } from './samples.ts';
import { hpaDecisions, type HpaDecision } from './hpa-decisions.ts';
import { poolTotals, type PoolTotals } from './pools.ts';

/** One value per step; null where nothing was known (before the first sample, after the end). */
export type Series = (number | null)[];

export interface ResourceSeries {
  allocatable: Series;
  requests: Series;
  usage: Series;
  requestsPercent: Series;
  usagePercent: Series;
}

export interface MonitoringReport {
  from: string;
  to: string;
  stepSeconds: number;
  timestamps: string[];
  /** CPU in cores, memory in bytes; node counts by pool. */
  pools: { name: string; instanceType: string; nodes: Series; readyNodes: Series; cpu: ResourceSeries; memory: ResourceSeries }[];
  nodes: {
    name: string;
    pool: string;
    ready: Series;
    cpuRequestsPercent: Series;
    cpuUsagePercent: Series;
    memoryRequestsPercent: Series;
    memoryUsagePercent: Series;
  }[];
  /** True when there were more nodes than MAX_NODE_SERIES (pools still cover every node). */
  nodesTruncated: boolean;
  pods: { phases: Record<PodPhase, Series>; pending: Series; unschedulable: Series; restarting: Series; restarts: Series };
  deployments: { namespace: string; name: string; desired: Series; ready: Series; available: Series }[];
  hpas: {
    namespace: string;
    name: string;
    target: string;
    minReplicas: Series;
    maxReplicas: Series;
    currentReplicas: Series;
    desiredReplicas: Series;
    cpuUtilization: Series;
    targetCpuUtilization: Series;
  }[];
  hpaDecisions: HpaDecision[];
}

export interface ReportWindow {
  fromMs: number;
  toMs: number;
  stepMs: number;
  /** No value after this instant (the cluster's now, or its deletion). */
  endMs: number;
  /** How long a sample is carried forward. */
  lookbackMs: number;
}

export const MAX_NODE_SERIES = 100;

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : null);

/** Which sample holds at each step: the newest at or before it, while still within the lookback. */
function samplesAtSteps(samples: StoredSample[], w: ReportWindow): { times: number[]; at: (ClusterSnapshot | undefined)[] } {
  const times: number[] = [];
  const at: (ClusterSnapshot | undefined)[] = [];
  let i = -1;
  for (let t = w.fromMs; t <= w.toMs; t += w.stepMs) {
    while (i + 1 < samples.length && samples[i + 1].at <= t) i++;
    const s = i >= 0 ? samples[i] : undefined;
    times.push(t);
    at.push(s && t <= w.endMs && t - s.at <= w.lookbackMs ? s.snapshot : undefined);
  }
  return { times, at };
}

/** Series of `value(snapshot)` over the steps; undefined values become null. */
function series(at: (ClusterSnapshot | undefined)[], value: (s: ClusterSnapshot) => number | null | undefined): Series {
  return at.map((s) => (s ? (value(s) ?? null) : null));
}

function keysSeen<T>(at: (ClusterSnapshot | undefined)[], pick: (s: ClusterSnapshot) => T[], key: (x: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const s of at) if (s) for (const x of pick(s)) if (!out.has(key(x))) out.set(key(x), x);
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function resourceSeries(at: (ClusterSnapshot | undefined)[], pool: string, kind: 'cpu' | 'memory'): ResourceSeries {
  const totals = at.map((s) => (s ? poolTotals(s.nodes, pool) : undefined));
  // CPU is reported in cores (stored in millicores), memory in bytes.
  const read = (t: PoolTotals) =>
    kind === 'cpu'
      ? { allocatable: t.cpuAllocatable / 1000, requests: t.cpuRequests / 1000, usage: t.cpuUsage / 1000 }
      : { allocatable: t.memoryAllocatable, requests: t.memoryRequests, usage: t.memoryUsage };
  const values = totals.map((t) => (t ? read(t) : undefined));
  return {
    allocatable: values.map((v) => v?.allocatable ?? null),
    requests: values.map((v) => v?.requests ?? null),
    usage: values.map((v) => v?.usage ?? null),
    requestsPercent: values.map((v) => (v ? pct(v.requests, v.allocatable) : null)),
    usagePercent: values.map((v) => (v ? pct(v.usage, v.allocatable) : null)),
  };
}

function indexOf(s: ClusterSnapshot) {
  return {
    nodes: new Map(s.nodes.map((n) => [n.name, n])),
    deployments: new Map(s.deployments.map((d) => [`${d.namespace}/${d.name}`, d])),
    hpas: new Map(s.hpas.map((h) => [`${h.namespace}/${h.name}`, h])),
  };
}

/** Turns stored snapshots into step-aligned series, the way a Prometheus range query evaluates. */
export function buildReport(samples: StoredSample[], w: ReportWindow): MonitoringReport {
  const { times, at } = samplesAtSteps(samples, w);

  const pools = keysSeen(
    at,
    (s) => s.nodes,
    (n) => n.pool,
  );
  const nodes = keysSeen(
    at,
    (s) => s.nodes,
    (n) => n.name,
  );
  const deployments = keysSeen(
    at,
    (s) => s.deployments,
    (d) => `${d.namespace}/${d.name}`,
  );
  const hpas = keysSeen(
    at,
    (s) => s.hpas,
    (h) => `${h.namespace}/${h.name}`,
  );
  // Snapshots repeat across steps (carried forward), so each is indexed once.
  const indexes = new Map<ClusterSnapshot, ReturnType<typeof indexOf>>();
  const index = (s: ClusterSnapshot) => indexes.get(s) ?? indexes.set(s, indexOf(s)).get(s)!;
  const node = (s: ClusterSnapshot, name: string) => index(s).nodes.get(name);
  const dep = (s: ClusterSnapshot, ns: string, name: string) => index(s).deployments.get(`${ns}/${name}`);
  const hpa = (s: ClusterSnapshot, ns: string, name: string) => index(s).hpas.get(`${ns}/${name}`);

  const restartsTotal = series(at, (s) => s.pods.restarts);
  const restarts = restartsTotal.map((v, i) => {
    const prev = i > 0 ? restartsTotal[i - 1] : null;
    // A counter that dropped (pods went away) restarted: count from zero, as Prometheus' increase() does.
    return v === null || prev === null ? null : v >= prev ? v - prev : v;
  });

  return {
    from: new Date(w.fromMs).toISOString(),
    to: new Date(w.toMs).toISOString(),
    stepSeconds: w.stepMs / 1000,
    timestamps: times.map((t) => new Date(t).toISOString()),
    pools: [...pools.values()].map((p) => ({
      name: p.pool,
      instanceType: p.instanceType,
      nodes: series(at, (s) => s.nodes.filter((n) => n.pool === p.pool).length),
      readyNodes: series(at, (s) => s.nodes.filter((n) => n.pool === p.pool && n.ready).length),
      cpu: resourceSeries(at, p.pool, 'cpu'),
      memory: resourceSeries(at, p.pool, 'memory'),
    })),
    nodes: [...nodes.values()].slice(0, MAX_NODE_SERIES).map((n) => ({
      name: n.name,
      pool: n.pool,
      ready: series(at, (s) => {
        const x = node(s, n.name);
        return x ? (x.ready ? 1 : 0) : null;
      }),
      cpuRequestsPercent: series(at, (s) => {
        const x = node(s, n.name);
        return x && pct(x.cpuRequests, x.cpuAllocatable);
      }),
      cpuUsagePercent: series(at, (s) => {
        const x = node(s, n.name);
        return x && pct(x.cpuUsage, x.cpuAllocatable);
      }),
      memoryRequestsPercent: series(at, (s) => {
        const x = node(s, n.name);
        return x && pct(x.memoryRequests, x.memoryAllocatable);
      }),
      memoryUsagePercent: series(at, (s) => {
        const x = node(s, n.name);
        return x && pct(x.memoryUsage, x.memoryAllocatable);
      }),
    })),
    nodesTruncated: nodes.size > MAX_NODE_SERIES,
    pods: {
      phases: Object.fromEntries(POD_PHASES.map((p) => [p, series(at, (s) => s.pods.phases[p])])) as Record<PodPhase, Series>,
      pending: series(at, (s) => s.pods.phases.Pending),
      unschedulable: series(at, (s) => s.pods.unschedulable),
      restarting: series(at, (s) => s.pods.crashLooping),
      restarts,
    },
    deployments: [...deployments.values()].map((d) => ({
      namespace: d.namespace,
      name: d.name,
      desired: series(at, (s) => dep(s, d.namespace, d.name)?.desired),
      ready: series(at, (s) => dep(s, d.namespace, d.name)?.ready),
      available: series(at, (s) => dep(s, d.namespace, d.name)?.available),
    })),
    hpas: [...hpas.values()].map((h) => ({
      namespace: h.namespace,
      name: h.name,
      target: h.target,
      minReplicas: series(at, (s) => hpa(s, h.namespace, h.name)?.minReplicas),
      maxReplicas: series(at, (s) => hpa(s, h.namespace, h.name)?.maxReplicas),
      currentReplicas: series(at, (s) => hpa(s, h.namespace, h.name)?.currentReplicas),
      desiredReplicas: series(at, (s) => hpa(s, h.namespace, h.name)?.desiredReplicas),
      cpuUtilization: series(at, (s) => hpa(s, h.namespace, h.name)?.cpuUtilization),
      targetCpuUtilization: series(at, (s) => hpa(s, h.namespace, h.name)?.targetCpuUtilization),
    })),
    hpaDecisions: hpaDecisions(samples, w.fromMs, Math.min(w.toMs, w.endMs)),
  };
}
