import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultClusterBody, startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
let kc: string;
before(async () => {
  h = await startHarness();
  const owner = await h.tenant();
  // A minute of cluster time per second: pod runs and retry back-offs pass quickly.
  const cluster = await h.runningCluster(owner.token, { ...defaultClusterBody(), timeScale: 60 });
  kc = await h.kubeconfig(owner.token, cluster.id);
});
after(() => h.stop());

async function ok(args: string[], input?: string): Promise<string> {
  const r = await h.kubectl(kc, args, input);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const json = async (args: string[]) => JSON.parse(await ok([...args, '-o', 'json']));
const condition = (job: { status?: { conditions?: { type: string }[] } }, type: string) =>
  job.status?.conditions?.find((c) => c.type === type) as { reason?: string; message?: string } | undefined;

const jobYaml = (name: string, spec: string, annotations: string) => `apiVersion: batch/v1
kind: Job
metadata: { name: ${name} }
spec:
${spec}  template:
    metadata:
      annotations: { ${annotations} }
    spec:
      restartPolicy: Never
      containers:
      - { name: main, image: busybox }
`;

test('a FailJob rule on exit code 42 fails the Job with reason PodFailurePolicy; kubectl refuses an invalid policy', async () => {
  await ok(
    ['apply', '-f', '-'],
    jobYaml(
      'crash42',
      `  backoffLimit: 6
  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes: { containerName: main, operator: In, values: [42] }
    - action: Ignore
      onPodConditions: [{ type: DisruptionTarget }]
`,
      'kates.dev/run-seconds: "5", kates.dev/exit-code: "42"',
    ),
  );
  const applied = await json(['get', 'job', 'crash42']);
  assert.equal(applied.spec.podReplacementPolicy, 'Failed', 'defaulted with a failure policy');
  assert.equal(applied.spec.podFailurePolicy.rules[1].onPodConditions[0].status, 'True');
  await ok(['wait', '--for=condition=Failed', 'job/crash42', '--timeout=60s']);
  const job = await json(['get', 'job', 'crash42']);
  assert.equal(condition(job, 'FailureTarget')?.reason, 'PodFailurePolicy');
  assert.equal(condition(job, 'Failed')?.reason, 'PodFailurePolicy');
  assert.match(
    condition(job, 'Failed')!.message!,
    /^Container main for pod default\/crash42-[a-z0-9]{5} failed with exit code 42 matching FailJob rule at index 0$/,
  );
  assert.equal(job.status.failed, 1, 'one failure, not backoffLimit + 1');
  assert.match(await ok(['describe', 'job', 'crash42']), /Warning\s+PodFailurePolicy\s+.*failed with exit code 42 matching FailJob rule at index 0/);

  const invalid = await h.kubectl(
    kc,
    ['apply', '-f', '-'],
    jobYaml(
      'bad',
      `  podFailurePolicy:
    rules:
    - action: FailJob
      onExitCodes: { operator: In, values: [3, 0, 1] }
`,
      'a: b',
    ),
  );
  assert.notEqual(invalid.code, 0);
  assert.match(invalid.stderr, /spec\.podFailurePolicy\.rules\[0\]\.onExitCodes\.values\[1\]: Invalid value: 0: must not be 0 for the In operator/);
  assert.match(invalid.stderr, /spec\.podFailurePolicy\.rules\[0\]\.onExitCodes\.values: Invalid value: \[3,0,1\]: must be ordered/);
  // The served OpenAPI knows the fields (kubectl explain, client-side validation).
  assert.match(await ok(['explain', 'job.spec.podFailurePolicy.rules.onExitCodes']), /operator\s+<string> -required-/);
  assert.match(await ok(['explain', 'resourcequota.spec.scopeSelector.matchExpressions']), /scopeName\s+<string> -required-/);
  const typo = await h.kubectl(
    kc,
    ['apply', '-f', '-'],
    jobYaml('typo', '  podFailurePolicy:\n    rules:\n    - { action: Ignore, onExitCode: { operator: In, values: [1] } }\n', 'a: b'),
  );
  assert.match(typo.stderr, /unknown field "spec\.podFailurePolicy\.rules\[0\]\.onExitCode"/);
});

test('kubectl drain evicts a Job pod with DisruptionTarget: an Ignore rule keeps backoffLimit 0 from failing the Job', async () => {
  await ok(
    ['apply', '-f', '-'],
    jobYaml(
      'steady',
      `  backoffLimit: 0
  podFailurePolicy:
    rules:
    - action: Ignore
      onPodConditions: [{ type: DisruptionTarget }]
`,
      'kates.dev/run-seconds: "36000"',
    ),
  );
  const pod = await h.waitFor(
    async () => (await json(['get', 'pods', '-l', 'job-name=steady'])).items.find((p: { status: { phase: string } }) => p.status.phase === 'Running'),
    'job pod running',
    60_000,
  );
  const node = pod.spec.nodeName;
  const drained = await h.kubectl(kc, ['drain', node, '--pod-selector=job-name=steady', '--ignore-daemonsets', '--delete-emptydir-data', '--timeout=90s']);
  assert.equal(drained.code, 0, drained.stderr);
  assert.match(drained.stdout, new RegExp(`evicting pod default/${pod.metadata.name}`));
  const replacement = await h.waitFor(
    async () =>
      (await json(['get', 'pods', '-l', 'job-name=steady'])).items.find(
        (p: { metadata: { name: string }; status: { phase: string } }) => p.metadata.name !== pod.metadata.name && p.status.phase === 'Running',
      ),
    'replacement running',
    60_000,
  );
  assert.notEqual(replacement.spec.nodeName, node, 'the drained node is cordoned');
  const job = await json(['get', 'job', 'steady']);
  assert.equal(job.status.failed ?? 0, 0, 'the disruption is not counted');
  assert.equal(condition(job, 'Failed'), undefined);
  await ok(['uncordon', node]);
});

test('backoffLimitPerIndex: each index retries on its own and the Job fails with FailedIndexes', async () => {
  await ok(
    ['apply', '-f', '-'],
    jobYaml(
      'per-index',
      `  completionMode: Indexed
  completions: 2
  parallelism: 2
  backoffLimitPerIndex: 1
`,
      'kates.dev/run-seconds: "5", kates.dev/exit-code: "1"',
    ),
  );
  await ok(['wait', '--for=condition=Failed', 'job/per-index', '--timeout=90s']);
  const job = await json(['get', 'job', 'per-index']);
  assert.deepEqual([condition(job, 'Failed')?.reason, condition(job, 'Failed')?.message], ['FailedIndexes', 'Job has failed indexes']);
  assert.equal(job.status.failedIndexes, '0,1');
  assert.equal(job.status.failed, 4, 'two attempts per index');
  assert.equal(job.spec.backoffLimit, 2147483647, 'the global limit is off');
});
