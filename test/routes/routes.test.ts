import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startApp, type InProcessApp } from '../helpers/app.ts';
import { buildFixture, type Fixture } from './fixture.ts';
import { documentedOperations, operationOf, proof, type Kind, type RouteContext, type Sent } from './route-case.ts';
import { routeCases } from './cases/index.ts';

/**
 * Every /v1 operation in process (`app.request`, no listener, no workers): a happy path, an error
 * path and tenant isolation each, answers checked against openapi.yaml. A new operation fails the
 * coverage test below until it has its three cases.
 */
let app: InProcessApp;
let fx: Fixture;

before(async () => {
  app = await startApp();
  fx = await buildFixture(app);
});
after(() => app.stop());

test('every operation in openapi.yaml has a happy, an error and an isolation case', () => {
  const documented = documentedOperations();
  const covered = routeCases.map((c) => c.op);
  const missing = documented.filter((op) => !covered.includes(op));
  const stale = covered.filter((op) => !documented.includes(op));
  const twice = covered.filter((op, i) => covered.indexOf(op) !== i);
  assert.deepEqual({ missing, stale, twice }, { missing: [], stale: [], twice: [] }, 'every operation needs one case in test/routes/cases');
});

test('a documented path asked with another method is 405 with Allow; an unknown path is 404', async () => {
  const put = await app.request('PUT', '/v1/clusters', { token: fx.tokens.A, body: {} });
  assert.equal(put.status, 405);
  assert.equal(put.body.error.code, 'METHOD_NOT_ALLOWED');
  assert.equal(put.headers.allow, 'GET, POST');
  const keys = await app.request('DELETE', `/v1/tenants/${fx.A.id}/api-keys`, { token: fx.tokens.A });
  assert.deepEqual([keys.status, keys.headers.allow], [405, 'GET, POST']);
  const unknown = await app.request('GET', '/v1/nothing-here', { token: fx.tokens.A });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'NOT_FOUND');
});

/** Runs one kind of a case, then checks it sent its own operation the request that proves it. */
async function run(op: string, kind: Kind, fn: (t: RouteContext) => Promise<void>) {
  const sent: Sent[] = [];
  const t: RouteContext = {
    fx,
    async call(as, method, path, opts = {}) {
      const token = as === 'anonymous' ? undefined : fx.tokens[as];
      const r = await app.request(method, path, { token, ...opts });
      sent.push({ op: operationOf(method, path), as, status: r.status });
      return r;
    },
  };
  await fn(t);
  const own = sent.filter((s) => s.op === op);
  assert.ok(own.some(proof[kind].holds), `the ${kind} case of ${op} must send it a request with ${proof[kind].what}; it sent ${JSON.stringify(own)}`);
}

for (const c of routeCases) {
  describe(c.op, () => {
    test('happy path', () => run(c.op, 'happy', c.happy));
    test('error path', () => run(c.op, 'error', c.error));
    test('tenant isolation', () => run(c.op, 'isolation', c.isolation));
  });
}
