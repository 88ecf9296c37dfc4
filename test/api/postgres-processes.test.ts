import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { randomString } from '../../src/lib/ids.ts';
import { sharedRedis } from './helpers/redis.ts';
import { startService, type ServiceProcess } from '../runtime/helpers/service-process.ts';
import { testDatabaseUrl } from '../helpers/database.ts';
import { waitFor } from '../helpers/wait.ts';

/**
 * Two API and two worker processes, each with its own DATA_DIR (as on separate machines), share one
 * PostgreSQL and one Redis. One of each is SIGKILLed in the middle of a rollout; the survivors finish
 * it, and the store is then checked: exact replicas on the current ReplicaSet, no orphans, no
 * revision stored twice, and every node's seconds billed by exactly one open interval.
 */
const server = process.env.KATES_TEST_POSTGRES_URL;
const PODS = 120;
const dirs: string[] = [];
const procs: ServiceProcess[] = [];
after(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test(
  'two APIs and two workers on one PostgreSQL: one of each killed mid-rollout, the rollout converges and the invariants hold',
  { skip: server ? false : 'runs on PostgreSQL (npm test -- --postgres)', timeout: 240_000 },
  async () => {
    const redis = await sharedRedis();
    const databaseUrl = testDatabaseUrl(server);
    const env = { REDIS_URL: redis.url, DATABASE_URL: databaseUrl, QUEUE_PREFIX: `t${randomString(8)}`, JOB_LOCK_MS: '1000' };
    const adminKey = `admin-${randomString(24)}`;
    const start = async (role: 'api' | 'worker') => {
      const dataDir = mkdtempSync(join(tmpdir(), `kates-pg-${role}-`));
      dirs.push(dataDir);
      const p = await startService({ dataDir, role, env, adminKey });
      procs.push(p);
      return p;
    };
    const [apiA, apiB] = [await start('api'), await start('api')];
    const [workerA] = [await start('worker'), await start('worker')];

    const call = async (base: string, method: string, path: string, token?: string, body?: unknown, type = 'application/json') => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': type } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
    };
    const admin = (await call(apiA.url!, 'POST', '/v1/auth/token', undefined, { apiKey: adminKey })).body.accessToken;
    const tenant = (await call(apiA.url!, 'POST', '/v1/tenants', admin, { name: 'scale-out', plan: 'enterprise' })).body;
    const key = (await call(apiB.url!, 'POST', `/v1/tenants/${tenant.id}/api-keys`, admin, { name: 'owner', role: 'owner' })).body.key;
    const token = (await call(apiA.url!, 'POST', '/v1/auth/token', undefined, { apiKey: key })).body.accessToken;
    const created = await call(apiA.url!, 'POST', '/v1/clusters', token, {
      name: 'multi',
      provider: 'eks',
      region: 'us-east-1',
      timeScale: 60,
      nodePools: [{ name: 'p', instanceType: 'm5.4xlarge', count: 2 }],
    });
    assert.equal(created.status, 202, JSON.stringify(created.body));
    const id = created.body.id as string;
    await waitFor(async () => (await call(apiB.url!, 'GET', `/v1/clusters/${id}`, token)).body.status === 'RUNNING', 'the cluster RUNNING', 60_000);
    const kubeToken = /token: (\S+)/.exec((await call(apiB.url!, 'GET', `/v1/clusters/${id}/kubeconfig`, token)).body)![1];
    const kube = (base: string, method: string, path: string, body?: unknown, type?: string) =>
      call(base, method, `/clusters/${id}/k8s${path}`, kubeToken, body, type);
    const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
    const template = (image: string) => ({
      metadata: { labels: { app: 'web' }, annotations: { 'kates.dev/image-pull-seconds': '0' } },
      spec: { terminationGracePeriodSeconds: 5, containers: [{ name: 'c', image }] },
    });
    const made = await kube(apiA.url!, 'POST', DEPLOY, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: PODS, selector: { matchLabels: { app: 'web' } }, template: template('nginx:1.0') },
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    await waitFor(async () => (await kube(apiB.url!, 'GET', `${DEPLOY}/web`)).body.status?.availableReplicas === PODS, 'the first version available', 120_000);

    // A rollout through API A; once pods of the new version exist, kill API A and worker A.
    const rolled = await kube(apiA.url!, 'PATCH', `${DEPLOY}/web`, { spec: { template: template('nginx:2.0') } }, 'application/merge-patch+json');
    assert.equal(rolled.status, 200, JSON.stringify(rolled.body));
    await waitFor(
      async () => {
        const s = (await kube(apiB.url!, 'GET', `${DEPLOY}/web`)).body.status ?? {};
        return s.updatedReplicas > 0 && s.updatedReplicas < PODS;
      },
      'the rollout under way',
      60_000,
    );
    await Promise.all([apiA.stop('SIGKILL'), workerA.stop('SIGKILL')]);
    // And a second rollout through the surviving API while the dead worker's jobs are taken over.
    assert.equal((await kube(apiB.url!, 'PATCH', `${DEPLOY}/web`, { spec: { template: template('nginx:3.0') } }, 'application/merge-patch+json')).status, 200);

    const converged = await waitFor(
      async () => {
        const d = (await kube(apiB.url!, 'GET', `${DEPLOY}/web`)).body;
        const s = d.status ?? {};
        const done = s.observedGeneration === d.metadata.generation && s.replicas === PODS && s.updatedReplicas === PODS && s.availableReplicas === PODS;
        return done ? d : undefined;
      },
      'the rollout to converge on the survivors',
      180_000,
    );

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    // The service's tables live in the schema the URL names (`?schema=`), not in public.
    const schema = new URL(databaseUrl).searchParams.get('schema');
    if (schema) await client.query(`SET search_path TO "${schema.replace(/"/g, '""')}"`);
    try {
      const rows = async (resource: string) =>
        (await client.query('SELECT body FROM objects WHERE cluster_id = $1 AND resource = $2', [id, resource])).rows.map((r) => JSON.parse(r.body));
      // Pods of the old versions may still be terminating (a kubelet pass held by the killed worker's
      // lock runs once it lapses); they go, and nothing else does.
      await waitFor(async () => (await rows('pods')).length === PODS || undefined, 'the old pods to finish terminating', 60_000).catch(() => undefined);
      const pods = await rows('pods');
      const replicaSets = await rows('replicasets.apps');
      const deployments = await rows('deployments.apps');
      const nodes = await rows('nodes');
      const controller = (o: any) => (o.metadata.ownerReferences ?? []).find((r: any) => r.controller);
      const revision = converged.metadata.annotations?.['deployment.kubernetes.io/revision'];
      const current = replicaSets.find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === revision);
      assert.equal(pods.length, PODS, `exactly the replicas asked for (${pods.filter((p) => p.metadata.deletionTimestamp).length} terminating)`);
      assert.ok(current, 'the current ReplicaSet exists');
      assert.ok(
        pods.every((p) => controller(p)?.uid === current.metadata.uid),
        'every pod belongs to the current ReplicaSet',
      );
      assert.ok(pods.every((p) => p.spec.containers[0].image === 'nginx:3.0' && p.status?.phase === 'Running'));
      const rsUids = new Set(replicaSets.map((rs) => rs.metadata.uid));
      const deployUids = new Set(deployments.map((d) => d.metadata.uid));
      assert.ok(
        pods.every((p) => rsUids.has(controller(p)?.uid)),
        'no orphan pods',
      );
      assert.ok(
        replicaSets.every((rs) => deployUids.has(controller(rs)?.uid)),
        'no orphan ReplicaSets',
      );
      assert.ok(
        replicaSets.filter((rs) => rs !== current).every((rs) => rs.spec.replicas === 0),
        'old ReplicaSets scaled to 0',
      );

      // Revisions: the watch log holds each at most once and never beyond the cluster's; each stored
      // object carries the revision of its row, and no two objects share one.
      const log = (await client.query('SELECT resource_version AS rv FROM watch_events WHERE cluster_id = $1', [id])).rows.map((r) => Number(r.rv));
      assert.equal(new Set(log).size, log.length, 'no revision logged twice');
      const clusterRv = Number((await client.query('SELECT resource_version FROM clusters WHERE id = $1', [id])).rows[0].resource_version);
      assert.ok(Math.max(...log) <= clusterRv);
      const stored = (await client.query('SELECT resource_version AS rv, body FROM objects WHERE cluster_id = $1', [id])).rows;
      assert.ok(
        stored.every((r) => JSON.parse(r.body).metadata.resourceVersion === String(r.rv)),
        'each row carries its own revision',
      );
      const objectRvs = stored.map((r) => Number(r.rv));
      assert.equal(new Set(objectRvs).size, objectRvs.length, 'no two objects share a revision');

      // Billing: per subject the intervals never overlap, and each node has exactly one open interval.
      const intervals = (
        await client.query(
          'SELECT kind, subject, started_at AS s, ended_at AS e FROM usage_intervals WHERE cluster_id = $1 ORDER BY kind, subject, started_at',
          [id],
        )
      ).rows;
      const bySubject = new Map<string, { s: number; e: number | null }[]>();
      for (const i of intervals)
        bySubject.set(`${i.kind}/${i.subject}`, [...(bySubject.get(`${i.kind}/${i.subject}`) ?? []), { s: Number(i.s), e: i.e === null ? null : Number(i.e) }]);
      for (const [subject, list] of bySubject) {
        for (let i = 1; i < list.length; i++) assert.ok(list[i - 1].e !== null && list[i - 1].e! <= list[i].s, `${subject}: intervals overlap`);
        assert.ok(list.filter((x) => x.e === null).length <= 1, `${subject}: two open intervals`);
      }
      const openNodes = new Set(intervals.filter((i) => i.kind === 'node' && i.e === null).map((i) => i.subject));
      assert.deepEqual([...openNodes].sort(), nodes.map((n) => n.metadata.name).sort(), 'every node billed by exactly one open interval');
    } finally {
      await client.end();
      await redis.stop();
    }
  },
);
