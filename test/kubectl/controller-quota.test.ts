import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

const deployment = (name: string, ns: string, replicas: number, cpu?: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${ns} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
      - name: app
        image: nginx:1.27
${cpu ? `        resources: { requests: { cpu: ${cpu} }, limits: { cpu: ${cpu} } }\n` : ''}`;

const statefulSet = (name: string, ns: string, replicas: number, cpu: string) => `apiVersion: apps/v1
kind: StatefulSet
metadata: { name: ${name}, namespace: ${ns} }
spec:
  replicas: ${replicas}
  serviceName: ${name}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
      - name: app
        image: nginx:1.27
        resources: { requests: { cpu: ${cpu} }, limits: { cpu: ${cpu} } }
`;

async function setup() {
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token);
  const kc = await h.kubeconfig(owner.token, cluster.id);
  const ok = async (args: string[], input?: string) => {
    const r = await h.kubectl(kc, args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const getJson = async (args: string[]) => JSON.parse(await ok([...args, '-o', 'json']));
  const podsOf = async (ns: string, app: string) => (await getJson(['get', 'pods', '-n', ns, '-l', `app=${app}`])).items as any[];
  const condition = (obj: any, type: string) => (obj.status?.conditions ?? []).find((c: any) => c.type === type);
  return { ok, getJson, podsOf, condition };
}

test('pods a ReplicaSet or StatefulSet creates are admitted against ResourceQuota: refused beyond it with FailedCreate and ReplicaFailure, let in once it is raised', async () => {
  const { ok, getJson, podsOf, condition } = await setup();
  await ok(['create', 'namespace', 'team']);
  await ok(['create', 'quota', 'q', '-n', 'team', '--hard=pods=3,requests.cpu=1']);
  await ok(['apply', '-f', '-'], deployment('web', 'team', 5, '300m'));

  const exceeded =
    /^pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: q, requested: pods=1,requests\.cpu=300m, used: pods=3,requests\.cpu=900m, limited: pods=3,requests\.cpu=1$/;
  const rs = await h.waitFor(
    async () => {
      const list = (await getJson(['get', 'rs', '-n', 'team', '-l', 'app=web'])).items;
      return list.length === 1 && condition(list[0], 'ReplicaFailure') ? list[0] : undefined;
    },
    'ReplicaFailure on the ReplicaSet',
    30_000,
  );
  const failure = condition(rs, 'ReplicaFailure');
  assert.equal(failure.status, 'True');
  assert.equal(failure.reason, 'FailedCreate');
  assert.match(failure.message, exceeded);
  assert.equal((await podsOf('team', 'web')).length, 3, 'three pods fit the quota');
  assert.equal(rs.status.replicas, 3);

  const deploy = await h.waitFor(
    async () => {
      const d = await getJson(['get', 'deploy', 'web', '-n', 'team']);
      return condition(d, 'ReplicaFailure') ? d : undefined;
    },
    'ReplicaFailure on the Deployment',
    30_000,
  );
  assert.equal(condition(deploy, 'ReplicaFailure').reason, 'FailedCreate');
  assert.match(condition(deploy, 'ReplicaFailure').message, exceeded);

  const events = await ok(['get', 'events', '-n', 'team', '--field-selector', 'reason=FailedCreate']);
  assert.match(events, /Warning\s+FailedCreate\s+replicaset\/web-[a-z0-9]+\s+Error creating: pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: q/);
  const quota = await getJson(['get', 'quota', 'q', '-n', 'team']);
  assert.deepEqual(quota.status.used, { pods: '3', 'requests.cpu': '900m' }, 'usage counts each admitted pod once');

  // A StatefulSet's pods go through the same admission.
  await ok(['apply', '-f', '-'], statefulSet('db', 'team', 2, '100m'));
  await h.waitFor(
    async () =>
      /create Pod db-0 in StatefulSet db failed error: pods "db-0" is forbidden: exceeded quota: q, requested: pods=1, used: pods=3, limited: pods=3/.test(
        await ok(['get', 'events', '-n', 'team', '--field-selector', 'involvedObject.kind=StatefulSet']),
      ),
    'FailedCreate on the StatefulSet',
    30_000,
  );
  assert.equal((await podsOf('team', 'db')).length, 0);

  // Raising the quota lets the rest in, and the failure condition goes away.
  await ok(['patch', 'quota', 'q', '-n', 'team', '--type=merge', '-p', '{"spec":{"hard":{"pods":"10","requests.cpu":"3"}}}']);
  await ok(['rollout', 'status', 'deploy/web', '-n', 'team', '--timeout=60s']);
  await ok(['rollout', 'status', 'sts/db', '-n', 'team', '--timeout=60s']);
  assert.equal((await podsOf('team', 'web')).length, 5);
  await h.waitFor(
    async () => {
      const d = await getJson(['get', 'deploy', 'web', '-n', 'team']);
      const r = (await getJson(['get', 'rs', '-n', 'team', '-l', 'app=web'])).items[0];
      return !condition(d, 'ReplicaFailure') && !condition(r, 'ReplicaFailure');
    },
    'ReplicaFailure cleared',
    30_000,
  );
  await h.waitFor(
    async () => {
      const used = (await getJson(['get', 'quota', 'q', '-n', 'team'])).status.used;
      return used.pods === '7' && used['requests.cpu'] === '1700m';
    },
    'quota usage of 7 pods',
    30_000,
  );
});

test('a BestEffort-scoped quota limits only the best-effort pods controllers create; LimitRange bounds apply to them too', async () => {
  const { ok, getJson, podsOf, condition } = await setup();
  await ok(['create', 'namespace', 'be']);
  await ok(['create', 'quota', 'best-effort', '-n', 'be', '--hard=pods=2', '--scopes=BestEffort']);
  await ok(['apply', '-f', '-'], deployment('idle', 'be', 4));
  await ok(['apply', '-f', '-'], deployment('sized', 'be', 3, '100m'));

  await ok(['rollout', 'status', 'deploy/sized', '-n', 'be', '--timeout=60s']);
  assert.equal((await podsOf('be', 'sized')).length, 3, 'pods with requests are not in the BestEffort scope');
  const d = await h.waitFor(
    async () => {
      const x = await getJson(['get', 'deploy', 'idle', '-n', 'be']);
      return condition(x, 'ReplicaFailure') ? x : undefined;
    },
    'ReplicaFailure on the best-effort Deployment',
    30_000,
  );
  assert.match(
    condition(d, 'ReplicaFailure').message,
    /^pods "idle-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: best-effort, requested: pods=1, used: pods=2, limited: pods=2$/,
  );
  assert.equal((await podsOf('be', 'idle')).length, 2);
  assert.equal((await getJson(['get', 'quota', 'best-effort', '-n', 'be'])).status.used.pods, '2');

  // LimitRanger validates controller pods as it does a client's: above the max is refused.
  await ok(
    ['apply', '-f', '-'],
    `apiVersion: v1
kind: LimitRange
metadata: { name: caps, namespace: be }
spec:
  limits:
  - type: Container
    max: { cpu: 500m }
`,
  );
  await ok(['apply', '-f', '-'], deployment('huge', 'be', 1, '1'));
  const huge = await h.waitFor(
    async () => {
      const x = await getJson(['get', 'deploy', 'huge', '-n', 'be']);
      return condition(x, 'ReplicaFailure') ? x : undefined;
    },
    'ReplicaFailure from the LimitRange',
    30_000,
  );
  assert.match(
    condition(huge, 'ReplicaFailure').message,
    /^pods "huge-[a-z0-9]+-[a-z0-9]{5}" is forbidden: maximum cpu usage per Container is 500m, but limit is 1$/,
  );
  assert.equal((await podsOf('be', 'huge')).length, 0);
});
