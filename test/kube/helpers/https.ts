import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { getRequestListener } from '@hono/node-server';
import selfsigned from 'selfsigned';
import { systemClock } from '../../../src/lib/clock.ts';
import { kubeTestApp, type KubeTestApp } from './app.ts';
import type { KubeDeps } from '../../../src/kube/deps.ts';

let tlsCache: Promise<{ ca: string; key: string; cert: string }> | undefined;

/** A private CA and a certificate for 127.0.0.1, made once per test process. */
function tls() {
  tlsCache ??= (async () => {
    const now = new Date();
    const ca = await selfsigned.generate([{ name: 'commonName', value: 'kates-test-ca' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: now,
      notAfterDate: new Date(now.getTime() + 24 * 3600 * 1000),
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    });
    const server = await selfsigned.generate([{ name: 'commonName', value: '127.0.0.1' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: now,
      notAfterDate: new Date(now.getTime() + 24 * 3600 * 1000),
      ca: { key: ca.private, cert: ca.cert },
      extensions: [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
      ],
    });
    return { ca: ca.cert, key: server.private, cert: server.cert };
  })();
  return tlsCache;
}

export interface KubeServer extends KubeTestApp {
  url: string;
  dir: string;
  /** Writes a kubeconfig for a token (certificate-authority-data embedded) and returns its path. */
  kubeconfig(token?: string): string;
  /** Runs the real kubectl with a fresh cache dir per server. */
  kubectl(args: string[], opts?: { token?: string; input?: string; timeoutMs?: number }): Promise<{ code: number; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

/** The kube API over HTTPS on 127.0.0.1 with a real clock, for kubectl and client-node tests. */
/** `tap` sees a clone of every request first (to capture what kubectl sends). */
export async function startKubeServer(opts: { deps?: Partial<KubeDeps>; tap?: (req: Request) => void | Promise<void> } = {}): Promise<KubeServer> {
  const k = await kubeTestApp({ clock: systemClock, deps: opts.deps });
  const material = await tls();
  const fetch = async (req: Request) => {
    if (opts.tap) await opts.tap(req.clone());
    return k.app.fetch(req);
  };
  const server: Server = createServer({ key: material.key, cert: material.cert }, getRequestListener(fetch));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}/clusters/${k.clusterId}/k8s`;
  const dir = mkdtempSync(join(tmpdir(), 'kates-kube-'));
  const configs = new Map<string, string>();
  const kubeconfig = (token = 'admin') => {
    let path = configs.get(token);
    if (path) return path;
    path = join(dir, `kubeconfig-${token}`);
    const cfg = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'kates', cluster: { server: url, 'certificate-authority-data': Buffer.from(material.ca).toString('base64') } }],
      users: [{ name: token, user: { token } }],
      contexts: [{ name: 'kates', context: { cluster: 'kates', user: token, namespace: 'default' } }],
      'current-context': 'kates',
    };
    writeFileSync(path, JSON.stringify(cfg));
    configs.set(token, path);
    return path;
  };
  const kubectl: KubeServer['kubectl'] = (args, o = {}) =>
    new Promise((resolve) => {
      const child = execFile(
        'kubectl',
        [`--kubeconfig=${kubeconfig(o.token)}`, `--cache-dir=${join(dir, 'cache')}`, ...args],
        { timeout: o.timeoutMs ?? 60_000, maxBuffer: 32 * 1024 * 1024, env: { ...process.env, KUBECONFIG: '' } },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      if (o.input !== undefined) child.stdin?.end(o.input);
      else child.stdin?.end();
    });
  return {
    ...k,
    url,
    dir,
    kubeconfig,
    kubectl,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
