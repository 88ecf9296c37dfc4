import { Hono } from 'hono';
import { openTestDatabase } from '../../helpers/database.ts';
import { ObjectStore } from '../../../src/store/objects.ts';
import { systemClock, type Clock } from '../../../src/lib/clock.ts';
import type { ClusterPrincipal } from '../../../src/auth/principal.ts';
import { createKubeApp } from '../../../src/kube/app.ts';
import type { KubeDeps } from '../../../src/kube/deps.ts';
import { storeChangeFeed } from '../../../src/kube/watch/feed.ts';
import { addClusterRow, ManualClock } from '../../helpers/store.ts';

export const TOKENS: Record<string, Omit<ClusterPrincipal, 'clusterId'>> = {
  admin: { kind: 'cluster', tenantId: 'ten_test', role: 'cluster-admin', namespaces: [], subject: 'admin' },
  viewer: { kind: 'cluster', tenantId: 'ten_test', role: 'view', namespaces: ['team-a'], subject: 'viewer' },
  editor: { kind: 'cluster', tenantId: 'ten_test', role: 'edit', namespaces: ['team-a'], subject: 'editor' },
};

export interface KubeTestApp {
  app: Hono;
  store: ObjectStore;
  clusterId: string;
  clock: Clock;
  /** A request to the cluster's API as kubectl would send it (path relative to the cluster root). */
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; contentType?: string; accept?: string; raw?: string | Uint8Array },
  ): Promise<Response>;
  json<T = any>(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; contentType?: string; accept?: string },
  ): Promise<{ status: number; body: T; headers: Headers }>;
}

/** The Kubernetes API app mounted as the service mounts it, over an in-memory SQLite store. */
export async function kubeTestApp(
  opts: { clock?: Clock; deps?: Partial<KubeDeps> | ((store: ObjectStore) => Partial<KubeDeps>); namespaces?: string[] } = {},
): Promise<KubeTestApp> {
  const clock = opts.clock ?? new ManualClock();
  const database = openTestDatabase();
  const store = new ObjectStore(database, clock);
  const clusterId = 'cls_kube';
  await addClusterRow(database, clusterId, clock.now());
  for (const ns of opts.namespaces ?? ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'team-a']) {
    await store.create(clusterId, 'namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } },
      spec: { finalizers: ['kubernetes'] },
      status: { phase: 'Active' },
    });
  }
  const kube = createKubeApp({
    store,
    feed: storeChangeFeed(store),
    async authenticate(header, cid) {
      const token = header?.replace(/^Bearer\s+/i, '') ?? '';
      const p = TOKENS[token];
      if (!p) throw new Error('bad token');
      return { ...p, clusterId: cid };
    },
    async clusterInfo(cid) {
      return cid === clusterId ? { tenantId: 'ten_test', kubernetesVersion: '1.32', status: 'RUNNING' } : undefined;
    },
    ...(typeof opts.deps === 'function' ? opts.deps(store) : opts.deps),
  });
  const app = new Hono();
  app.route('/clusters/:clusterId/k8s', kube);
  const call: KubeTestApp['call'] = (method, path, o = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${o.token ?? 'admin'}` };
    if (o.accept) headers.accept = o.accept;
    let body: string | Uint8Array | undefined = o.raw;
    if (o.body !== undefined) {
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      headers['content-type'] = o.contentType ?? 'application/json';
    } else if (o.contentType) headers['content-type'] = o.contentType;
    return Promise.resolve(app.request(`/clusters/${clusterId}/k8s${path}`, { method, headers, body }));
  };
  return {
    app,
    store,
    clusterId,
    clock,
    call,
    async json(method, path, o) {
      const res = await call(method, path, o);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
  };
}

export { systemClock };
