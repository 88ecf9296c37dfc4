import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { metricRollups, metricSamples, monitoringSamples } from '../../src/store/schema/index.ts';

/**
 * An idle cluster (3 healthy nodes, nothing deployed, no traffic) through the real service: its
 * clock runs 60× faster, so a real second is a minute of cluster time. Nothing wakes the node
 * heartbeat, node lifecycle, metrics-server or monitoring controllers, nothing is written, and
 * kubectl still sees Leases renewed within 10 s and nodes with their metrics.
 */
let h: Harness;
let kubeconfig: string;
let clusterId: string;

const DERIVED = ['node-heartbeat', 'node-lifecycle', 'metrics-server', 'monitoring'];

before(async () => {
  h = await startHarness();
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token, {
    name: 'idle',
    provider: 'eks',
    region: 'us-east-1',
    timeScale: 60,
    nodePools: [{ name: 'general', instanceType: 'm5.large', count: 3 }],
  });
  clusterId = cluster.id;
  kubeconfig = await h.kubeconfig(owner.token, clusterId);
});
after(() => h.stop());

async function kubectl(args: string[]): Promise<string> {
  const r = await h.kubectl(kubeconfig, args);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const json = async (args: string[]) => JSON.parse(await kubectl([...args, '-o', 'json']));

/** Reconcile passes run so far per controller, from the service's own /metrics. */
async function passes(): Promise<Record<string, number>> {
  const text = (await h.request('GET', '/metrics', { noContract: true })).text;
  const out: Record<string, number> = Object.fromEntries(DERIVED.map((c) => [c, 0]));
  for (const m of text.matchAll(/^kates_job_duration_seconds_count\{([^}]*)\} (\S+)$/gm)) {
    const name = /name="([^"]+)"/.exec(m[1])?.[1];
    if (name && name in out) out[name] += Number(m[2]);
  }
  return out;
}

async function rows() {
  const { db } = h.runtime.deps.database;
  const count = async (table: typeof metricSamples | typeof metricRollups | typeof monitoringSamples) =>
    (await db
      .select({ n: sql<number>`count(*)` })
      .from(table)
      .where(eq(table.clusterId, clusterId))
      .get())!.n;
  return { samples: await count(metricSamples), rollups: await count(metricRollups), monitoring: await count(monitoringSamples) };
}

const clusterNow = () => h.runtime.deps.store.clusterNow(clusterId);
const versions = async (args: string[]) =>
  (await json(args)).items.map((o: { metadata: { name: string; resourceVersion: string } }) => `${o.metadata.name}@${o.metadata.resourceVersion}`);

test('an idle cluster: no heartbeat, lifecycle, metrics or monitoring passes and no writes; kubectl sees fresh Leases and node metrics', async () => {
  // Settle: the first passes and the second looks an interval later, until a real second passes quietly.
  let seen = await passes();
  await h.waitFor(
    async () => {
      await sleep(1000);
      const now = await passes();
      const quiet = DERIVED.every((c) => now[c] === seen[c]);
      seen = now;
      return quiet;
    },
    'the derived-state controllers to settle',
    60_000,
  );

  const before = {
    passes: await passes(),
    rows: await rows(),
    leases: await versions(['get', 'lease', '-n', 'kube-node-lease']),
    nodes: await versions(['get', 'nodes']),
  };
  assert.ok(
    DERIVED.every((c) => before.passes[c] > 0),
    `the first passes are counted: ${JSON.stringify(before.passes)}`,
  );
  const startedAt = await clusterNow();
  await sleep(2000);
  assert.ok((await clusterNow()) - startedAt >= 60_000, 'at least a minute of cluster time passed');
  assert.deepEqual(await passes(), before.passes, 'no pass of the derived-state controllers');
  assert.deepEqual(await rows(), before.rows, 'no metric change point, rollup or monitoring sample');
  assert.deepEqual(await versions(['get', 'lease', '-n', 'kube-node-lease']), before.leases, 'no Lease written');
  assert.deepEqual(await versions(['get', 'nodes']), before.nodes, 'no Node written');

  // What readers see is fresh all the same.
  const leases = await json(['get', 'lease', '-n', 'kube-node-lease']);
  const now = await clusterNow();
  assert.equal(leases.items.length, 3);
  for (const lease of leases.items) {
    const age = now - Date.parse(lease.spec.renewTime);
    assert.ok(age >= 0 && age < 10_000 + 1000, `${lease.metadata.name} renewed ${age} ms ago`);
  }
  const one = await json(['get', 'lease', '-n', 'kube-node-lease', leases.items[0].metadata.name]);
  assert.ok((await clusterNow()) - Date.parse(one.spec.renewTime) < 10_000 + 1000, 'a get is as fresh as a list');
  for (const node of (await json(['get', 'nodes'])).items) {
    const ready = node.status.conditions.find((c: { type: string }) => c.type === 'Ready');
    assert.equal(ready.status, 'True');
    assert.ok(now - Date.parse(ready.lastHeartbeatTime) < 5 * 60_000 + 1000, `${node.metadata.name} heartbeat ${ready.lastHeartbeatTime}`);
  }
  assert.match(
    await kubectl(['top', 'nodes']),
    /^NAME\s+CPU\(cores\)\s+CPU(\(%\))?\s+MEMORY\(bytes\)\s+MEMORY(\(%\))?\s*\n(\S+\s+60m\s+\d+%\s+400Mi\s+\d+%\s*\n){3}$/,
  );
});

test('a watch on the node Leases sees each renewal as a MODIFIED event, with the stored resourceVersion', async () => {
  const r = await h.kubectl(kubeconfig, ['get', 'lease', '-n', 'kube-node-lease', '-w', '--output-watch-events', '-o', 'json', '--request-timeout=4s']);
  const events = r.stdout
    .split(/\n(?=\{)/)
    .filter((chunk) => chunk.trim())
    .map((chunk) => JSON.parse(chunk) as { type: string; object: { metadata: { name: string; resourceVersion: string }; spec: { renewTime: string } } });
  const added = events.filter((e) => e.type === 'ADDED');
  assert.equal(added.length, 3, r.stderr);
  const first = new Map(added.map((e) => [e.object.metadata.name, e.object]));
  const renewals = events.filter((e) => e.type === 'MODIFIED');
  assert.ok(renewals.length >= 3, `${renewals.length} renewals in 4 s of real time (4 minutes of cluster time)`);
  for (const e of renewals) {
    const was = first.get(e.object.metadata.name)!;
    assert.equal(e.object.metadata.resourceVersion, was.metadata.resourceVersion, 'nothing was written');
    assert.ok(Date.parse(e.object.spec.renewTime) > Date.parse(was.spec.renewTime), 'renewTime moved on');
  }
});
