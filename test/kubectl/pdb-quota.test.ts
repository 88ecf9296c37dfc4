import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

const JOB = `apiVersion: batch/v1
kind: Job
metadata: { name: once, namespace: team }
spec:
  template:
    metadata:
      annotations: { kates.dev/run-seconds: "2" }
    spec:
      restartPolicy: Never
      containers:
      - name: work
        image: busybox
        resources: { requests: { cpu: 400m }, limits: { cpu: 400m } }
`;

test('kubectl get pdb shows live ALLOWED DISRUPTIONS; a finished Job pod gives its quota back', async () => {
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token);
  const kc = await h.kubeconfig(owner.token, cluster.id);
  const ok = async (args: string[], input?: string) => {
    const r = await h.kubectl(kc, args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const rows = (text: string) =>
    text
      .trim()
      .split('\n')
      .map((l) => l.trim().split(/\s{2,}/));

  await ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=3']);
  await ok(['create', 'pdb', 'web', '--selector=app=web', '--max-unavailable=1']);
  await ok(['rollout', 'status', 'deploy/web', '--timeout=60s']);
  await h.waitFor(async () => rows((await h.kubectl(kc, ['get', 'pdb', 'web'])).stdout)[1]?.[3] === '1', 'one allowed disruption', 30_000);
  const table = rows(await ok(['get', 'pdb', 'web']));
  assert.deepEqual(table[0], ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE']);
  assert.deepEqual(table[1].slice(0, 4), ['web', 'N/A', '1', '1']);
  const pdb = JSON.parse(await ok(['get', 'pdb', 'web', '-o', 'json']));
  assert.deepEqual([pdb.status.expectedPods, pdb.status.desiredHealthy, pdb.status.currentHealthy], [3, 2, 3]);
  assert.equal(pdb.status.conditions.find((c: { type: string }) => c.type === 'DisruptionAllowed').reason, 'SufficientPods');

  // A budget that needs every pod: nothing may be disrupted, and the new spec is observed.
  await ok(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"maxUnavailable":null,"minAvailable":3}}']);
  await h.waitFor(
    async () =>
      rows((await h.kubectl(kc, ['get', 'pdb', 'web'])).stdout)[1]
        ?.slice(0, 4)
        .join(' ') === 'web 3 N/A 0',
    'no allowed disruption',
    30_000,
  );
  const strict = JSON.parse(await ok(['get', 'pdb', 'web', '-o', 'json']));
  assert.equal(strict.status.observedGeneration, strict.metadata.generation);
  assert.equal(strict.status.conditions.find((c: { type: string }) => c.type === 'DisruptionAllowed').reason, 'InsufficientPods');

  await ok(['create', 'namespace', 'team']);
  await ok(['create', 'quota', 'compute', '-n', 'team', '--hard=pods=1,requests.cpu=500m']);
  await ok(['apply', '-f', '-'], JOB);
  await ok(['wait', '-n', 'team', '--for=condition=Complete', 'job/once', '--timeout=60s']);
  await h.waitFor(
    async () => {
      const q = JSON.parse((await h.kubectl(kc, ['get', 'quota', 'compute', '-n', 'team', '-o', 'json'])).stdout);
      return q.status?.used?.pods === '0' && q.status.used['requests.cpu'] === '0';
    },
    'quota given back',
    30_000,
  );
  const described = await ok(['describe', 'quota', 'compute', '-n', 'team']);
  assert.match(described, /pods\s+0\s+1/);
  assert.match(described, /requests\.cpu\s+0\s+500m/);
});
