import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeTestApp } from './helpers/app.ts';

test('create, get, list and delete a deployment through the API', async () => {
  const k = await kubeTestApp();
  const created = await k.json('POST', '/apis/apps/v1/namespaces/default/deployments', {
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } },
      },
    },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.spec.replicas, 1);
  assert.equal(created.body.spec.strategy.rollingUpdate.maxSurge, '25%');
  const got = await k.json('GET', '/apis/apps/v1/namespaces/default/deployments/web');
  assert.equal(got.status, 200);
  assert.equal(got.body.metadata.uid, created.body.metadata.uid);
  const table = await k.json('GET', '/apis/apps/v1/namespaces/default/deployments', {
    accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
  });
  assert.equal(table.body.kind, 'Table');
  assert.deepEqual(table.body.rows[0].cells.slice(0, 4), ['web', '0/1', 0, 0]);
  const del = await k.json('DELETE', '/apis/apps/v1/namespaces/default/deployments/web', { body: { propagationPolicy: 'Background' } });
  assert.equal(del.status, 200);
  const gone = await k.json('GET', '/apis/apps/v1/namespaces/default/deployments/web');
  assert.equal(gone.status, 404);
  assert.equal(gone.body.message, 'deployments.apps "web" not found');
});
