// The cluster's own Kubernetes API (/clusters/{id}/k8s), called with the token of the cluster's
// kubeconfig, as kubectl would. Only owners and developers may download a kubeconfig; for other roles
// the Kubernetes views say so.

import { api, ApiError, session } from './api.js';

const tokens = new Map();

/** The kubeconfig YAML of a cluster (also what the download button saves). */
export async function kubeconfigText(clusterId) {
  const res = await fetch(`/v1/clusters/${clusterId}/kubeconfig`, { headers: { authorization: `Bearer ${session.token}` } });
  const text = await res.text();
  if (!res.ok) throw new ApiError(res.status, text ? JSON.parse(text) : undefined);
  return text;
}

async function tokenFor(clusterId) {
  if (!tokens.has(clusterId)) {
    const m = /^\s*token:\s*"?([^"\s]+)"?\s*$/m.exec(await kubeconfigText(clusterId));
    if (!m) throw new Error('the kubeconfig carries no token');
    tokens.set(clusterId, m[1]);
  }
  return tokens.get(clusterId);
}

/** GET a Kubernetes API path of the cluster; JSON unless `text` is asked for (logs). */
export async function kube(clusterId, path, { text = false } = {}) {
  const res = await fetch(`/clusters/${clusterId}/k8s${path}`, {
    headers: { authorization: `Bearer ${await tokenFor(clusterId)}`, accept: text ? 'text/plain' : 'application/json' },
  });
  const body = await res.text();
  if (res.status === 401) tokens.delete(clusterId);
  if (!res.ok) {
    let message = `HTTP ${res.status}`;
    try {
      message = JSON.parse(body).message ?? message;
    } catch {
      /* not a Status */
    }
    throw Object.assign(new Error(message), { status: res.status });
  }
  return text ? body : JSON.parse(body);
}

/** Lists of every kind the console shows, across namespaces. */
export const KINDS = {
  Node: '/api/v1/nodes',
  Pod: '/api/v1/pods',
  Deployment: '/apis/apps/v1/deployments',
  StatefulSet: '/apis/apps/v1/statefulsets',
  DaemonSet: '/apis/apps/v1/daemonsets',
  Job: '/apis/batch/v1/jobs',
  Service: '/api/v1/services',
  Event: '/api/v1/events',
};

/** The path of one object, for its YAML. */
export function objectPath(kind, namespace, name) {
  const list = KINDS[kind];
  if (!namespace) return `${list}/${name}`;
  const [prefix, resource] = [list.slice(0, list.lastIndexOf('/')), list.slice(list.lastIndexOf('/') + 1)];
  return `${prefix}/namespaces/${namespace}/${resource}/${name}`;
}

/** A Kubernetes quantity as a number (cores for CPU, bytes for memory). */
export function quantity(q) {
  if (q === undefined || q === null) return 0;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(String(q));
  if (!m) return 0;
  const units = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
  return Number(m[1]) * (units[m[2]] ?? 1);
}

/** What a pod asks of its node: the sum of its app containers' requests (init containers run before). */
export function podRequests(pod) {
  const sum = { cpu: 0, memory: 0 };
  for (const c of pod.spec?.containers ?? []) {
    sum.cpu += quantity(c.resources?.requests?.cpu);
    sum.memory += quantity(c.resources?.requests?.memory);
  }
  return sum;
}

export { api };
