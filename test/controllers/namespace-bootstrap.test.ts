import { test } from 'node:test';
import assert from 'node:assert/strict';
import { controllerWorld, listAll, runUntilSettled } from './helpers/context.ts';
import { rbacBootstrapController } from '../../src/controllers/rbac-bootstrap/controller.ts';
import { serviceAccountController } from '../../src/controllers/serviceaccount/controller.ts';
import { setRootCaCert } from '../../src/controllers/serviceaccount/root-ca.ts';
import { RBAC_RESOURCES } from '../../src/rbac/types.ts';
import type { KubeObject } from '../../src/kube/types.ts';

const ns = (name: string, extra: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, ...extra },
  spec: { finalizers: ['kubernetes'] },
  status: { phase: 'Active' },
});

test('RBAC bootstrap fills in missing default roles and bindings, and leaves edited ones alone', async () => {
  const world = await controllerWorld();
  await runUntilSettled(world, [rbacBootstrapController]);
  const roles = await listAll(world, RBAC_RESOURCES.clusterroles);
  for (const name of ['cluster-admin', 'admin', 'edit', 'view', 'system:basic-user', 'system:discovery', 'system:public-info-viewer'])
    assert.ok(
      roles.some((r) => r.metadata.name === name),
      name,
    );
  assert.ok((await listAll(world, RBAC_RESOURCES.clusterrolebindings)).some((b) => b.metadata.name === 'system:basic-user'));
  const before = world.commits();
  await runUntilSettled(world, [rbacBootstrapController]);
  assert.equal(world.commits(), before, 'nothing to do twice');
  const edit = roles.find((r) => r.metadata.name === 'edit')!;
  await world.store.update(world.clusterId, RBAC_RESOURCES.clusterroles, {
    ...structuredClone(edit),
    aggregationRule: undefined,
    rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }],
  });
  await world.store.delete(world.clusterId, RBAC_RESOURCES.clusterroles, '', 'view');
  await runUntilSettled(world, [rbacBootstrapController]);
  const after = await listAll(world, RBAC_RESOURCES.clusterroles);
  assert.ok(after.some((r) => r.metadata.name === 'view'));
  assert.deepEqual(after.find((r) => r.metadata.name === 'edit')!.rules, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }]);
});

test('active namespaces get a default ServiceAccount and kube-root-ca.crt; terminating ones do not', async () => {
  setRootCaCert('-----BEGIN CERTIFICATE-----\nTEST\n-----END CERTIFICATE-----\n');
  const world = await controllerWorld();
  await world.store.create(world.clusterId, 'namespaces', ns('apps'));
  await world.store.create(world.clusterId, 'namespaces', ns('leaving', { deletionTimestamp: new Date().toISOString(), finalizers: ['x'] }));
  await runUntilSettled(world, [serviceAccountController]);
  assert.deepEqual(
    (await listAll(world, 'serviceaccounts')).map((s) => `${s.metadata.namespace}/${s.metadata.name}`),
    ['apps/default'],
  );
  const cms = await listAll(world, 'configmaps');
  assert.deepEqual(
    cms.map((c) => `${c.metadata.namespace}/${c.metadata.name}`),
    ['apps/kube-root-ca.crt'],
  );
  assert.match((cms[0].data as Record<string, string>)['ca.crt'], /TEST/);
  // A rotated CA reaches the ConfigMaps.
  setRootCaCert('-----BEGIN CERTIFICATE-----\nROTATED\n-----END CERTIFICATE-----\n');
  await runUntilSettled(world, [serviceAccountController]);
  assert.match(((await listAll(world, 'configmaps'))[0].data as Record<string, string>)['ca.crt'], /ROTATED/);
  setRootCaCert(undefined);
});
