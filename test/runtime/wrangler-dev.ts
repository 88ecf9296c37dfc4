import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomString } from '../../src/lib/ids.ts';
import { assertMatchesContract } from '../helpers/contract.ts';
import { waitFor as pollUntil } from '../helpers/wait.ts';

const root = join(import.meta.dirname, '../..');

export interface Reply<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: T;
}

export interface WorkerUnderTest {
  url: string;
  dataDir: string;
  adminKey: string;
  caPath: string;
  /** Every /v1 answer is checked against openapi.yaml, as the Node harness does. */
  request<T = any>(method: string, path: string, opts?: { token?: string; body?: unknown }): Promise<Reply<T>>;
  kubectl(kubeconfigPath: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** What wrangler and the Worker printed, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * Starts the Worker the way a developer does (`npm run dev:workers`: wrangler dev, workerd from npm,
 * local D1 with the migrations applied, HTTPS with the service's private CA) in a temp DATA_DIR.
 * Rejects, with wrangler's output, when it does not come up: a machine that cannot run wrangler
 * fails the test instead of skipping it.
 */
export async function startWorker(timeoutMs = 120_000): Promise<WorkerUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), 'kates-workers-'));
  const port = await freePort();
  const adminKey = `admin-${randomString(24)}`;
  let out = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'scripts/dev-workers.ts')], {
    cwd: root,
    // Its own process group, so wrangler and workerd stop with it.
    detached: true,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      KATES_ADMIN_KEY: adminKey,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      TLS: 'on',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      const exited = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + timeoutMs;
  while (!out.includes('listening on')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not come up (exit ${child.exitCode}):\n${out.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = `https://127.0.0.1:${port}`;
  const caPath = join(dataDir, 'tls', 'ca.crt');
  const ca = readFileSync(caPath, 'utf8');

  const request = async <T = any>(method: string, path: string, opts: { token?: string; body?: unknown } = {}): Promise<Reply<T>> => {
    const headers: Record<string, string> = {};
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    const reply = await new Promise<Reply<T>>((resolve, reject) => {
      // A connection of its own: a kept-alive socket that workerd closed while idle (during a long
      // test step) would fail the next request with a hang-up.
      const req = httpsRequest(new URL(path, url), { method, headers, ca, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = String(res.headers['content-type'] ?? '').includes('json') && text;
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: json ? JSON.parse(text) : text });
        });
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
    if (path.startsWith('/v1/')) assertMatchesContract(method, path, reply.status, reply.headers['content-type'] as string | undefined, reply.body);
    return reply;
  };

  const kubectl = (kubeconfigPath: string, args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        'kubectl',
        [`--kubeconfig=${kubeconfigPath}`, `--cache-dir=${join(dataDir, 'kube-cache')}`, ...args],
        { timeout: 150_000, maxBuffer: 32 * 1024 * 1024 },
        (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  return { url, dataDir, adminKey, caPath, request, kubectl, output: () => out, stop };
}

/** Polls until `fn` returns something truthy (every 250 ms: a wrangler dev answer is slow). */
export const waitFor = <T>(fn: () => Promise<T | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> => pollUntil(fn, what, timeoutMs, 250);

export function writeFile(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}
