import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/platform/local-redis.ts';
import { randomString } from '../../src/lib/ids.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * The README's quick tour, run exactly as written: its shell block is taken from README.md and run by
 * bash (with -e and pipefail, so any failing command fails the test) with real curl, jq and kubectl,
 * against the service started as `npm start` starts it, in a fresh data directory.
 */
const root = join(import.meta.dirname, '../..');
const adminKey = `admin-${randomString(24)}`;
let dataDir: string;
let port: number;
let service: ChildProcess;
let serviceOut = '';

/** The first ```sh block after the "A quick tour" heading. */
export function tourBlock(readme: string): string {
  const section = readme.slice(readme.indexOf('## A quick tour'));
  const m = /```sh\n([\s\S]*?)\n```/.exec(section);
  if (!m) throw new Error('README.md has no shell block under "## A quick tour"');
  return m[1]!;
}

before(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kates-tour-'));
  port = await freePort();
  service = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      KATES_ADMIN_KEY: adminKey,
      QUEUE_PREFIX: `tour${randomString(6)}`,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  service.stdout!.on('data', (d) => (serviceOut += d));
  service.stderr!.on('data', (d) => (serviceOut += d));
  await waitFor(
    async () => existsSync(join(dataDir, 'tls/ca.crt')) && (await fetchOk(`https://127.0.0.1:${port}/readyz`)),
    `the service on ${port}`,
    60_000,
  ).catch((err) => {
    throw new Error(`${err.message}\n${serviceOut.slice(-3000)}`);
  });
});
after(async () => {
  if (service?.exitCode === null) {
    const exited = new Promise((r) => service.once('exit', r));
    service.kill('SIGTERM');
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** A probe that trusts the service's own CA, as the tour's curl does. */
async function fetchOk(url: string): Promise<boolean> {
  const { request } = await import('node:https');
  const ca = readFileSync(join(dataDir, 'tls/ca.crt'));
  return new Promise((resolve) => {
    const req = request(url, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.end();
  });
}

function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code: code ?? 1, out }));
  });
}

test(
  'the README tour runs as written: tenant, cluster, kubectl rollouts, an HPA that scales on traffic, a node failure, the clock, costs',
  { timeout: 170_000 },
  async () => {
    const block = tourBlock(readFileSync(join(root, 'README.md'), 'utf8'));
    assert.doesNotMatch(block, /\.\.\/shared|--cacert=/, 'nothing outside the clone, no curl option curl refuses');
    const env = { PORT: String(port), DATA_DIR: dataDir, KATES_ADMIN_KEY: adminKey, KUBECONFIG: '' };
    const tour = await run('bash', ['-e', '-o', 'pipefail', '-c', block], env);
    assert.equal(tour.code, 0, `the tour failed:\n${tour.out.slice(-4000)}\n--- service ---\n${serviceOut.slice(-2000)}`);

    assert.match(tour.out, /deployment "hello-deploy" successfully rolled out/);
    assert.equal(tour.out.match(/condition met/g)?.length, 2, 'the node went NotReady and came back');
    assert.match(tour.out, /"provider":"eks"/, 'the cost comparison printed');

    // The kubeconfig is under DATA_DIR, for its owner only, and nothing was written into the clone.
    const kubeconfig = join(dataDir, 'kubeconfig');
    assert.equal(statSync(kubeconfig).mode & 0o777, 0o600);
    assert.equal(existsSync(join(root, 'kubeconfig')), false);

    // The HPA really scaled the Deployment out, and the replicas are Ready.
    const replicas = await run('kubectl', ['get', 'deploy', 'web', '-o', 'jsonpath={.status.readyReplicas}'], { KUBECONFIG: kubeconfig });
    assert.equal(replicas.code, 0, replicas.out);
    assert.ok(Number(replicas.out) > 2, `web scaled out beyond its 2 replicas (${replicas.out})`);
    const hpa = await run('kubectl', ['get', 'hpa', 'web', '-o', 'jsonpath={.spec.minReplicas}/{.spec.maxReplicas}/{.status.currentReplicas}'], {
      KUBECONFIG: kubeconfig,
    });
    assert.match(hpa.out, /^2\/10\/([3-9]|10)$/);
  },
);
