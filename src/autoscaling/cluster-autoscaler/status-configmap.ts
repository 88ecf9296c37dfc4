import { stringify } from 'yaml';
import type { KubeObject } from '../../kube/types.ts';
import type { AutoscalerReport } from './state.ts';

export const STATUS_CONFIGMAP = 'cluster-autoscaler-status';
/**
 * While the autoscaler loops (pods pending, nodes booting, scale-down candidates) the ConfigMap is
 * rewritten at least this often so its probe times move. An idle autoscaler does not loop, so then
 * `time` and `lastProbeTime` stay at its last loop: they say when it last looked, not that it is
 * alive (a change to pods, nodes or settings makes it look again, at once). Deriving them on read
 * would put a read view on every ConfigMap read and list for one object.
 */
export const STATUS_REFRESH_MS = 60_000;

/** cluster-autoscaler prints Go's time format in the status text. */
function goTime(iso: string): string {
  return `${iso.replace('T', ' ').replace('Z', '')} +0000 UTC`;
}

/** Upstream caps error messages in the ConfigMap (it must stay under 1 MB). */
const MAX_ERROR_MESSAGE = 500;
const truncate = (m: string) => (m.length > MAX_ERROR_MESSAGE ? `${m.slice(0, MAX_ERROR_MESSAGE - '<truncated>'.length)}<truncated>` : m);

/** The status body without timestamps: comparing it tells whether anything changed. */
export function statusBody(report: AutoscalerReport): Record<string, unknown> {
  const registered = report.nodeGroups.reduce((s, g) => s + g.registered, 0);
  const ready = report.nodeGroups.reduce((s, g) => s + g.ready, 0);
  const upcoming = report.nodeGroups.reduce((s, g) => s + g.upcoming, 0);
  return {
    autoscalerStatus: 'Running',
    clusterWide: {
      health: {
        status: 'Healthy',
        nodeCounts: { registered: { total: registered, ready, notStarted: 0, unready: registered - ready }, longUnregistered: 0, unregistered: upcoming },
      },
      scaleUp: { status: report.scaleUp.status },
      scaleDown: { status: report.scaleDown.status, candidates: report.scaleDown.candidates },
    },
    nodeGroups: report.nodeGroups.map((g) => ({
      name: g.name,
      health: {
        status: 'Healthy',
        nodeCounts: {
          registered: { total: g.registered, ready: g.ready, notStarted: 0, unready: g.registered - g.ready },
          longUnregistered: 0,
          unregistered: g.upcoming,
        },
        cloudProviderTarget: g.targetSize,
        minSize: g.minSize,
        maxSize: g.maxSize,
      },
      // Upstream's BackoffInfo carries errorCode and errorMessage, omitted unless the group is backed off.
      scaleUp: {
        status: g.scaleUpStatus,
        ...(g.backoff ? { backoffInfo: { errorCode: g.backoff.errorCode, errorMessage: truncate(g.backoff.errorMessage) } } : {}),
      },
      scaleDown: {
        status: report.nodes.some((n) => n.group === g.name && n.candidate) ? 'CandidatesPresent' : 'NoCandidates',
        candidates: report.nodes.filter((n) => n.group === g.name && n.candidate).length,
      },
    })),
  };
}

/** The `cluster-autoscaler-status` ConfigMap in kube-system, in the YAML layout of current releases. */
export function statusConfigMap(report: AutoscalerReport, previous?: KubeObject): KubeObject {
  const probe = goTime(report.at);
  const body = statusBody(report) as { clusterWide: Record<string, Record<string, unknown>>; nodeGroups: Record<string, Record<string, unknown>>[] };
  for (const part of Object.values(body.clusterWide)) part.lastProbeTime = probe;
  for (const g of body.nodeGroups) for (const k of ['health', 'scaleUp', 'scaleDown']) g[k].lastProbeTime = probe;
  const text = stringify({ time: probe, ...body });
  const cm: KubeObject = previous
    ? structuredClone(previous)
    : { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: STATUS_CONFIGMAP, namespace: 'kube-system' } };
  cm.metadata.annotations = { ...(cm.metadata.annotations ?? {}), 'cluster-autoscaler.kubernetes.io/last-updated': probe };
  cm.data = { status: text };
  return cm;
}
