/**
 * Garbage collection of a runaway Deployment: 20,000 pods on a one-node cluster (the node holds a
 * few dozen, the rest stay Pending, as after a replica flood), then `DELETE` the Deployment in the
 * background as kubectl does, and the time until its ReplicaSet and every pod are gone (the GC
 * deletes the ReplicaSet, then the pods; the kubelet removes the few running ones after their grace
 * period of 1 s). Pods are written straight to the store, as the
 * ReplicaSet would create them (a scale-up is not what this measures).
 *
 * The previous design's figure is taken in the same run: the same script runs against the source
 * of `--baseline <rev>` (default bfe3755, the commit before the batched collector), unpacked with
 * `git archive` into a temporary folder that shares this checkout's node_modules.
 *
 *   npx tsx bench/gc-deployment.ts [--pods 20000] [--baseline <rev> | --no-baseline]
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, copyFileSync, mkdirSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { and, eq, sql } from 'drizzle-orm';
import { startHarness } from '../test/helpers/harness.ts';
import { objects } from '../src/store/schema/index.ts';
import type { KubeObject } from '../src/kube/types.ts';
import { podFromTemplate } from '../src/controllers/shared/pod-factory.ts';
import { defaultRegistry } from '../src/kube/registry/index.ts';

const argv = process.argv;
const arg = (name: string, dflt: string) => {
  const i = argv.indexOf(`--${name}`);
  return i > 0 ? argv[i + 1] : dflt;
};
const PODS = Number(arg('pods', '20000'));
const BASELINE = argv.includes('--no-baseline') ? undefined : arg('baseline', 'bfe3755');

/** Runs this script against another revision's source; returns its result line. */
async function baselineFigure(rev: string): Promise<string> {
  const root = resolve(import.meta.dirname, '..');
  const dir = mkdtempSync(join(tmpdir(), 'kates-gc-baseline-'));
  try {
    execFileSync('sh', [
      '-c',
      `git -C "${root}" archive ${rev} src test/helpers scripts migrations package.json tsconfig.json openapi.yaml | tar -x -C "${dir}"`,
    ]);
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    mkdirSync(join(dir, 'bench'));
    copyFileSync(join(root, 'bench', 'gc-deployment.ts'), join(dir, 'bench', 'gc-deployment.ts'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/gc-deployment.ts', '--pods', String(PODS), '--no-baseline'], {
      cwd: dir,
      env: process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    await new Promise((r) => child.on('exit', r));
    return out.split('\n').find((l) => l.startsWith('RESULT ')) ?? `no figure (${out.trim().split('\n').pop()})`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function measure(): Promise<{ createS: number; gcS: number; cpuS: number }> {
  const h = await startHarness({ env: { TICK_MS: '500' } });
  try {
    const admin = await h.adminToken();
    const t = await h.request('POST', '/v1/tenants', { token: admin, body: { name: `gc-${Date.now()}`, plan: 'enterprise' } });
    const { token } = await h.keyFor(t.body.id, admin, 'owner');
    const say = (what: string) => process.stderr.write(`[gc-bench] ${what}\n`);
    const c = await h.runningCluster(token, {
      name: 'big',
      provider: 'eks',
      region: 'us-east-1',
      nodePools: [{ name: 'p', instanceType: 'm5.large', count: 1 }],
    });
    const store = h.runtime.deps.store;
    const db = h.runtime.deps.database.db;
    const count = async (resource: string) =>
      (
        await db
          .select({ n: sql<number>`count(*)` })
          .from(objects)
          .where(and(eq(objects.clusterId, c.id), eq(objects.resource, resource)))
          .get()
      )?.n ?? 0;
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'big', namespace: 'default' },
      spec: {
        replicas: PODS,
        selector: { matchLabels: { app: 'big' } },
        template: {
          metadata: { labels: { app: 'big' }, annotations: { 'kates.dev/image-pull-seconds': '0' } },
          spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'c', image: 'nginx:1.27' }] },
        },
      },
    };
    const t0 = performance.now();
    await store.create(c.id, 'deployments.apps', { ...deployment, spec: { ...deployment.spec, replicas: 0 } });
    const rs = await h.waitFor(async () => (await store.list(c.id, 'replicasets.apps', { namespace: 'default' })).items[0], 'the ReplicaSet', 120_000);
    say(`writing ${PODS} pods`);
    const podDef = defaultRegistry.storageDef('pods')!;
    for (let i = 0; i < PODS; i += 500) {
      const ops = Array.from({ length: Math.min(500, PODS - i) }, (_, j) => {
        const base = `${rs.metadata.name}-`;
        const pod = podFromTemplate(rs.spec.template, {
          name: `${base}${(i + j).toString(36).padStart(5, '0')}`,
          generateName: base,
          namespace: 'default',
          owner: rs,
        });
        podDef.defaults?.(pod);
        return { op: 'create' as const, resource: 'pods', object: pod };
      });
      await store.commit(c.id, ops);
      if (i % 5000 === 0) say(`${i + ops.length} pods written`);
    }
    const d = await store.mustGet(c.id, 'deployments.apps', 'default', 'big');
    await store.update(c.id, 'deployments.apps', { ...d, spec: { ...d.spec, replicas: PODS } });
    await h.waitFor(
      async () => {
        const now = await store.get(c.id, 'deployments.apps', 'default', 'big');
        return (now?.status?.replicas ?? 0) >= PODS && (now?.status?.readyReplicas ?? 0) > 0;
      },
      `${PODS} pods counted, the first running`,
      900_000,
    );
    // Let the scheduler's first attempts at the Pending pods settle.
    await new Promise((r) => setTimeout(r, 5000));
    const createS = (performance.now() - t0) / 1000;

    say('deleting the Deployment');
    const cpu0 = process.cpuUsage();
    const t1 = performance.now();
    const { requestDeletion } = await import('../src/kube/deletion.ts');
    await requestDeletion(store, c.id, 'deployments.apps', 'default', 'big', { propagationPolicy: 'Background' });
    const progress = setInterval(() => void count('pods').then((n) => say(`${n} pods left`)), 5000);
    await h
      .waitFor(async () => (await count('pods')) === 0 && (await count('replicasets.apps')) === 0, 'every pod and ReplicaSet gone', 900_000)
      .finally(() => clearInterval(progress));
    const gcS = (performance.now() - t1) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return { createS, gcS, cpuS: (cpu.user + cpu.system) / 1e6 };
  } finally {
    await h.stop();
  }
}

const baseline = BASELINE ? await baselineFigure(BASELINE) : undefined;
const m = await measure();
const line = `RESULT ${PODS} pods: delete to gone ${m.gcS.toFixed(1)} s (process CPU ${m.cpuS.toFixed(1)} s); setup to ready took ${m.createS.toFixed(1)} s`;
console.log(line);
if (baseline !== undefined) {
  console.log(`machine: ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}; one process, API and workers`);
  console.log(`garbage collection of a ${PODS}-pod Deployment, this design:     ${line.slice(7)}`);
  console.log(`same, previous design (${BASELINE}):                               ${baseline.replace(/^RESULT /, '')}`);
  console.log('target: under 20 s');
}
process.exit(0);
