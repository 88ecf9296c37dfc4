/**
 * Shared by the kube-* benchmarks: the Kubernetes API of one cluster over HTTPS (private CA,
 * keep-alive client), backed by a SQLite file in WAL mode as in production.
 */
import { createServer, request, Agent, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { getRequestListener } from '@hono/node-server';
import selfsigned from 'selfsigned';
import { openSqlite } from '../src/platform/sqlite.ts';
import { ObjectStore } from '../src/store/objects.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createKubeApp } from '../src/kube/app.ts';
import { storeChangeFeed } from '../src/kube/watch/feed.ts';
import type { KubeObject } from '../src/kube/types.ts';
import { addClusterRow } from '../test/helpers/store.ts';

export function machine(): string {
  const cpu = cpus();
  return `machine: ${cpu.length}× ${cpu[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${loadavg()[0].toFixed(1)} at start`;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

export interface BenchServer {
  store: ObjectStore;
  clusterId: string;
  /** Base URL of the cluster's API and the PEM that verifies it (for clients in other processes). */
  url: string;
  ca: string;
  request(method: string, path: string, opts?: { body?: unknown; accept?: string; contentType?: string }): Promise<{ status: number; text: string }>;
  /** Serves `text` from a bare Hono route on the same server (a baseline: the same bytes, no work). */
  serveBare(key: string, text: string, contentType: string): void;
  requestBare(key: string): Promise<{ status: number; text: string }>;
  /** Opens a streaming GET and calls `onLine` for each line; resolves once the response headers arrived. */
  stream(path: string, onLine: (line: string) => void): Promise<() => void>;
  stop(): Promise<void>;
}

export async function startBenchServer(): Promise<BenchServer> {
  const dir = mkdtempSync(join(tmpdir(), 'kates-kube-bench-'));
  const database = openSqlite(join(dir, 'kates.db'));
  const store = new ObjectStore(database, systemClock);
  const clusterId = 'cls_bench';
  await addClusterRow(database, clusterId, systemClock.now());
  await store.create(clusterId, 'namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'bench' },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  const kube = createKubeApp({
    store,
    feed: storeChangeFeed(store),
    authenticate: async (_h, cid) => ({ kind: 'cluster', tenantId: 'ten_bench', clusterId: cid, role: 'cluster-admin', namespaces: [], subject: 'bench' }),
    clusterInfo: async (cid) => (cid === clusterId ? { tenantId: 'ten_bench', kubernetesVersion: '1.32', status: 'RUNNING' } : undefined),
  });
  const app = new Hono();
  const bare = new Map<string, { text: string; contentType: string }>();
  app.get('/bare/:key', (c) => {
    const b = bare.get(c.req.param('key'));
    return b ? c.body(b.text, 200, { 'content-type': b.contentType }) : c.notFound();
  });
  app.route('/clusters/:clusterId/k8s', kube);
  const now = new Date();
  const tls = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notBeforeDate: now,
    notAfterDate: new Date(now.getTime() + 24 * 3600 * 1000),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
  });
  const server: Server = createServer({ key: tls.private, cert: tls.cert }, getRequestListener(app.fetch));
  server.maxConnections = 100_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 64, ca: tls.cert });
  const streamAgent = new Agent({ keepAlive: false, maxSockets: Infinity, ca: tls.cert });
  const base = `/clusters/${clusterId}/k8s`;

  const doRequest = (
    method: string,
    path: string,
    opts: { body?: unknown; accept?: string; contentType?: string; absolute?: boolean } = {},
  ): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method,
          path: opts.absolute ? path : base + path,
          agent,
          headers: {
            authorization: 'Bearer bench',
            accept: opts.accept ?? 'application/json',
            ...(body ? { 'content-type': opts.contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const stream: BenchServer['stream'] = (path, onLine) =>
    new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, method: 'GET', path: base + path, agent: streamAgent, headers: { authorization: 'Bearer bench' } },
        (res) => {
          let buf = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => {
            buf += d;
            let nl: number;
            while ((nl = buf.indexOf('\n')) >= 0) {
              onLine(buf.slice(0, nl));
              buf = buf.slice(nl + 1);
            }
          });
          res.on('error', () => undefined);
          resolve(() => req.destroy());
        },
      );
      req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
      req.end();
    });

  return {
    store,
    clusterId,
    url: `https://127.0.0.1:${port}${base}`,
    ca: tls.cert,
    request: doRequest,
    serveBare: (key, text, contentType) => void bare.set(key, { text, contentType }),
    requestBare: (key) => doRequest('GET', `/bare/${key}`, { absolute: true }),
    stream,
    async stop() {
      agent.destroy();
      streamAgent.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A pod as a ReplicaSet would create it, once bound and running (about 2 KiB of JSON). */
export function benchPod(i: number, namespace = 'bench'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-7f9c5d8b6-${i.toString(36).padStart(5, '0')}`,
      namespace,
      labels: { app: 'web', 'pod-template-hash': '7f9c5d8b6' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web-7f9c5d8b6',
          uid: '6f1c0a52-0b8e-4a5e-9a0e-2b1d1f2f7a11',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      nodeName: `ip-10-0-${i % 40}-${i % 200}.ec2.internal`,
      containers: [
        {
          name: 'web',
          image: 'nginx:1.25',
          ports: [{ containerPort: 80, protocol: 'TCP' }],
          resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
        },
      ],
    },
    status: {
      phase: 'Running',
      podIP: `10.244.${i % 250}.${(i * 7) % 250}`,
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
        { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:05Z' },
      ],
      containerStatuses: [
        { name: 'web', ready: true, started: true, restartCount: 0, image: 'nginx:1.25', state: { running: { startedAt: '2026-01-01T00:00:04Z' } } },
      ],
    },
  };
}
