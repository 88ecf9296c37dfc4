import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../helpers/harness.ts';

let h: Harness;
let owner: { id: string; token: string };

before(async () => {
  h = await startHarness({ role: 'api' });
  owner = await h.tenant();
});
after(() => h.stop());

test('a documented path asked with another method is 405 with Allow; an unknown path is 404', async () => {
  const put = await h.request('PUT', '/v1/clusters', { token: owner.token, body: {} });
  assert.equal(put.status, 405);
  assert.equal(put.body.error.code, 'METHOD_NOT_ALLOWED');
  assert.equal(put.headers.allow, 'GET, POST');
  const keys = await h.request('DELETE', `/v1/tenants/${owner.id}/api-keys`, { token: owner.token });
  assert.equal(keys.status, 405);
  assert.equal(keys.headers.allow, 'GET, POST');
  const unknown = await h.request('GET', '/v1/nothing-here', { token: owner.token });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'NOT_FOUND');
});
