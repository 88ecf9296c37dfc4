/**
 * Time from creating a 1,000-replica Deployment to 1,000 Running pods, through the whole service
 * in one process: store commit → BullMQ reconcile jobs → Deployment, ReplicaSet, scheduler and
 * kubelet passes. The cluster clock runs at 1×; image pulls are set to 0 s (`--pull default`
 * keeps the kubelet's simulated pull time) so the figure is the control plane's.
 *
 *   npx tsx bench/controllers-deployment.ts [--replicas 1000] [--pull default]
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startHarness } from '../test/helpers/harness.ts';
import type { KubeObject } from '../src/kube/types.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const REPLICAS = Number(arg('replicas') ?? 1000);
const DEFAULT_PULL = arg('pull') === 'default';

const h = await startHarness();
try {
  const owner = await h.tenant();
  const nodes = Math.ceil(REPLICAS / 200);
  const cluster = await h.runningCluster(owner.token, {
    name: 'bench-deploy',
    provider: 'eks',
    region: 'us-east-1',
    nodePools: [{ name: 'big', instanceType: 'm5.4xlarge', count: nodes, maxCount: nodes }],
  });
  const store = h.runtime.deps.store;
  const created = new Set<string>();
  const scheduled = new Set<string>();
  const running = new Set<string>();
  const marks: Record<string, number> = {};
  let t0 = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  store.onCommit((cid, events) => {
    if (cid !== cluster.id) return;
    for (const e of events) {
      if (e.resource !== 'pods' || e.object.metadata.labels?.app !== 'bench') continue;
      const uid = e.object.metadata.uid!;
      if (e.type === 'DELETED') continue;
      created.add(uid);
      if (e.object.spec?.nodeName) scheduled.add(uid);
      if (e.object.status?.phase === 'Running') running.add(uid);
    }
    const now = performance.now() - t0;
    if (created.size >= REPLICAS) marks.created ??= now;
    if (scheduled.size >= REPLICAS) marks.scheduled ??= now;
    if (running.size >= REPLICAS && marks.running === undefined) {
      marks.running = now;
      done();
    }
  });
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'bench', namespace: 'default' },
    spec: {
      replicas: REPLICAS,
      selector: { matchLabels: { app: 'bench' } },
      template: {
        metadata: { labels: { app: 'bench' }, annotations: DEFAULT_PULL ? {} : { 'kates.dev/image-pull-seconds': '0' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] },
      },
    },
  };
  t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await store.create(cluster.id, 'deployments.apps', deployment);
  const timeout = setTimeout(() => done(), 120_000);
  await finished;
  clearTimeout(timeout);
  const cpu = process.cpuUsage(cpu0);
  const s = (ms?: number) => (ms === undefined ? 'not reached' : `${(ms / 1000).toFixed(2)} s`);
  console.log(`machine: ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}`);
  console.log(`cluster: ${nodes} × m5.4xlarge, image pull ${DEFAULT_PULL ? 'simulated' : '0 s'}, clock 1×`);
  console.log(
    `${REPLICAS}-replica Deployment: all pods created ${s(marks.created)}, all scheduled ${s(marks.scheduled)}, all Running ${s(marks.running)} (target < 10 s)`,
  );
  // CPU time does not depend on what else the machine runs: compare changes by it.
  console.log(`CPU used by the service until all Running: ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s, load ${loadavg()[0].toFixed(1)}`);
} finally {
  await h.stop();
}
