import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestStore, addClusterRow } from '../../helpers/store.ts';
import { SigningKeys } from '../../../src/auth/signing-keys.ts';
import { ServiceAccountTokens } from '../../../src/auth/service-account-tokens.ts';
import { clusterAudience } from '../../../src/auth/tokens.ts';

test('a ServiceAccount token opens only its own cluster, while its account (and bound pod) exist with their uids', async () => {
  const { database, store, clusterId } = await createTestStore();
  await addClusterRow(database, 'cls_b', Date.now());
  const tokens = new ServiceAccountTokens(new SigningKeys(database), 'https://kates.test', store);
  const sa = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'bot', namespace: 'default', uid: 'uid-bot' } };
  await store.create(clusterId, 'serviceaccounts', structuredClone(sa));
  await store.create('cls_b', 'serviceaccounts', structuredClone(sa)); // same name and uid in the other cluster
  const pod = await store.create(clusterId, 'pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [] } });
  const mint = (audiences: string[], bound = false) =>
    tokens.mint({
      tenantId: 'ten_test',
      clusterId,
      namespace: 'default',
      serviceAccount: { name: 'bot', uid: 'uid-bot' },
      audiences,
      expirationSeconds: 600,
      ...(bound ? { boundObject: { kind: 'Pod' as const, name: 'p', uid: pod.metadata.uid! } } : {}),
    });

  const own = (await mint([])).token;
  assert.ok(ServiceAccountTokens.recognizes(own));
  const p = await tokens.authenticate(own, clusterId);
  assert.equal(p.user?.username, 'system:serviceaccount:default:bot');
  assert.equal(p.role, 'serviceaccount');
  assert.deepEqual(p.namespaces, ['default']);

  const sideways = (await mint([clusterAudience('cls_b')])).token;
  await assert.rejects(tokens.authenticate(sideways, 'cls_b'), /not valid for this cluster/);
  await assert.rejects(tokens.authenticate((await mint(['vault'])).token, clusterId), /aud/);

  const bound = (await mint([], true)).token;
  assert.deepEqual((await tokens.authenticate(bound, clusterId)).user?.extra?.['authentication.kubernetes.io/pod-name'], ['p']);
  await store.delete(clusterId, 'pods', 'default', 'p');
  await assert.rejects(tokens.authenticate(bound, clusterId), /pod this token is bound to/);
  await store.delete(clusterId, 'serviceaccounts', 'default', 'bot');
  await assert.rejects(tokens.authenticate(own, clusterId), /service account has been deleted/);
  assert.equal(ServiceAccountTokens.recognizes('not-a-jwt'), false);
});
