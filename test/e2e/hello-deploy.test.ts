import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';
import { examplePath } from '../helpers/examples.ts';

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(() => h.stop());

test('kubectl apply of hello-deploy reaches 10/10 available, self-heals, and deletes cleanly', async () => {
  const owner = await h.tenant();
  const cluster = await h.runningCluster(owner.token);
  const kc = await h.kubeconfig(owner.token, cluster.id);
  const ok = async (args: string[]) => {
    const r = await h.kubectl(kc, args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  await ok(['apply', '-f', examplePath('hello-deploy.yaml')]);
  await ok(['rollout', 'status', 'deploy/hello-deploy', '--timeout=60s']);
  const deploy = JSON.parse(await ok(['get', 'deploy', 'hello-deploy', '-o', 'json']));
  assert.equal(deploy.status.availableReplicas, 10);
  const pods = JSON.parse(await ok(['get', 'pods', '-l', 'app=hello-world', '-o', 'json'])).items;
  assert.equal(pods.length, 10);
  assert.ok(pods.every((p: any) => p.status.phase === 'Running' && p.spec.nodeName));

  const victim = pods[0].metadata.name;
  await ok(['delete', 'pod', victim, '--wait=false']);
  await h.waitFor(
    async () => {
      const now = JSON.parse((await h.kubectl(kc, ['get', 'pods', '-l', 'app=hello-world', '-o', 'json'])).stdout).items;
      return now.filter((p: any) => p.metadata.name !== victim && p.status.phase === 'Running').length === 10;
    },
    'a replacement pod',
    30_000,
  );

  await ok(['delete', 'deploy', 'hello-deploy']);
  await h.waitFor(async () => JSON.parse((await h.kubectl(kc, ['get', 'pods', '-o', 'json'])).stdout).items.length === 0, 'pods gone', 30_000);
});
