import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

const pod = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: team }
spec:
${extra}  containers:
  - name: app
    image: busybox
    command: ["sleep", "1h"]
`;
const withCpu = (cpu: string) => `  containers:
  - name: app
    image: busybox
    command: ["sleep", "1h"]
    resources: { requests: { cpu: ${cpu} }, limits: { cpu: ${cpu} } }
`;
const burstable = (name: string, cpu: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: team }
spec:
${extra}${withCpu(cpu)}`;

test('ResourceQuota scopes: each quota charges and counts only the pods its scopes select', async () => {
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token);
  const kc = await h.kubeconfig(owner.token, cluster.id);
  const ok = async (args: string[], input?: string) => {
    const r = await h.kubectl(kc, args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const used = async (name: string) => JSON.parse(await ok(['get', 'quota', name, '-n', 'team', '-o', 'json'])).status?.used ?? {};

  await ok(['create', 'namespace', 'team']);
  await ok(['create', 'quota', 'best-effort', '-n', 'team', '--hard=pods=1', '--scopes=BestEffort']);
  await ok(['create', 'quota', 'compute', '-n', 'team', '--hard=pods=5,requests.cpu=1', '--scopes=NotBestEffort']);
  await ok(
    ['apply', '-f', '-'],
    `apiVersion: v1
kind: ResourceQuota
metadata: { name: critical, namespace: team }
spec:
  hard: { pods: "1" }
  scopeSelector:
    matchExpressions:
    - { scopeName: PriorityClass, operator: In, values: [system-cluster-critical] }
`,
  );

  // A BestEffort quota may only cap the number of pods: the API server refuses the rest.
  const bad = await h.kubectl(kc, ['create', 'quota', 'bad', '-n', 'team', '--hard=pods=2,requests.cpu=1', '--scopes=BestEffort']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /spec\.scopes: Invalid value: .*unsupported scope applied to resource/);
  const conflicting = await h.kubectl(kc, ['create', 'quota', 'bad', '-n', 'team', '--hard=pods=2', '--scopes=Terminating,NotTerminating']);
  assert.match(conflicting.stderr, /conflicting scopes/);

  // One BestEffort pod fits; a second exceeds best-effort, while pods with requests are charged to compute only.
  await ok(['apply', '-f', '-'], pod('be-1'));
  const second = await h.kubectl(kc, ['apply', '-f', '-'], pod('be-2'));
  assert.notEqual(second.code, 0);
  assert.match(second.stderr, /exceeded quota: best-effort, requested: pods=1, used: pods=1, limited: pods=1/);
  await ok(['apply', '-f', '-'], burstable('web-1', '400m'));
  await ok(['apply', '-f', '-'], burstable('web-2', '400m'));
  const over = await h.kubectl(kc, ['apply', '-f', '-'], burstable('web-3', '400m'));
  assert.match(over.stderr, /exceeded quota: compute, requested: requests\.cpu=400m, used: requests\.cpu=800m, limited: requests\.cpu=1/);

  // The PriorityClass selector: only pods of that class count, and only one of them fits.
  await ok(['apply', '-f', '-'], burstable('crit-1', '100m', '  priorityClassName: system-cluster-critical\n'));
  const crit = await h.kubectl(kc, ['apply', '-f', '-'], burstable('crit-2', '100m', '  priorityClassName: system-cluster-critical\n'));
  assert.match(crit.stderr, /exceeded quota: critical/);

  await h.waitFor(
    async () => {
      const [be, compute, critical] = await Promise.all([used('best-effort'), used('compute'), used('critical')]);
      return be.pods === '1' && compute.pods === '3' && compute['requests.cpu'] === '900m' && critical.pods === '1';
    },
    'scoped usage',
    30_000,
  );
  const described = await ok(['describe', 'quota', 'best-effort', '-n', 'team']);
  assert.match(described, /Scopes:\s+BestEffort/);

  // Deleting a pod gives its share back to the quotas that counted it, and only those.
  await ok(['delete', 'pod', 'web-1', '-n', 'team', '--wait=false']);
  await ok(['delete', 'pod', 'be-1', '-n', 'team', '--grace-period=0', '--force']);
  await h.waitFor(
    async () => {
      const [be, compute] = await Promise.all([used('best-effort'), used('compute')]);
      return be.pods === '0' && compute['requests.cpu'] === '500m' ? true : undefined;
    },
    'quota given back',
    60_000,
  );
  await ok(['apply', '-f', '-'], pod('be-2'));
});
